"""The conversion pipeline, in the one direction data flows: load -> providers -> core -> emitter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ing2gw import __version__, plugins
from ing2gw.core.classes import GENERIC, Dispatch, Dispatcher
from ing2gw.core.merge import Amends, GatewayPlan, build
from ing2gw.core.names import slug
from ing2gw.core.translate import base_translation, state_slash_precedence, state_unclaimed
from ing2gw.core.versions import Capabilities, capabilities
from ing2gw.emitter import EmitOptions, EmitResult, Emitter
from ing2gw.errors import UsageError, working_on
from ing2gw.load.objects import Inputs, parse_objects
from ing2gw.load.raw import RawObject
from ing2gw.model import ConfigMap, GatewayClass, GatewayModel, Ingress, Notification, Outcome, Source, evolve
from ing2gw.provider import IngressTranslation, Provider, TranslateContext

if TYPE_CHECKING:
    from ing2gw.api import ConversionResult, ConvertOptions


def _split_ref(text: str, what: str) -> tuple[str, str]:
    ns, sep, name = text.partition("/")
    if not sep or not ns or not name:
        raise UsageError(f"{what} must be NAMESPACE/NAME, not {text!r}")
    return ns, name


@dataclass(slots=True)
class Planned:
    """Everything of a conversion but the emitted objects: the model to emit, the emitter and its options,
    and the notifications so far. :func:`finish` completes it with what the emitter returned."""

    model: GatewayModel | None  # None in a split conversion (ing2gw.partitioned): each part kept its own
    emitter: Emitter
    emit_options: EmitOptions
    notes: list[Notification]
    inputs: Inputs
    options: ConvertOptions
    dispatcher: Dispatcher
    dispatch: dict[tuple[str, str], tuple[str | None, str]]
    skipped: int


def run(raws: Sequence[RawObject], options: ConvertOptions, *, consume: bool = False) -> ConversionResult:
    """Convert raw objects. With ``consume``, ``raws`` (a list) is emptied once parsed, freeing the input."""
    return emit_all(plan(raws, options, consume=consume))


def emit_all(planned: Planned) -> ConversionResult:
    """Emit every object at once, and finish the conversion."""
    working_on(f"the output of emitter {planned.options.emitter}")
    assert planned.model is not None  # a split conversion is emitted by its parts
    return finish(planned, planned.emitter.emit(planned.model, planned.emit_options))


@dataclass(slots=True)
class Prepared:
    """A conversion read and dispatched: the whole input, before any Ingress is translated. Translation and
    merging (:func:`translate`, :func:`finalize`, :func:`merge`) may then take all of it or a part."""

    options: ConvertOptions
    caps: Capabilities
    shared_ref: tuple[str, str] | None
    inputs: Inputs
    notes: list[Notification]  # about the whole input: parse problems, controller ConfigMap outcomes
    providers: dict[str, Provider]
    dispatcher: Dispatcher
    dispatched: list[tuple[Ingress, Dispatch, list[Notification]]]  # in Ingress order
    dispatch: dict[tuple[str, str], tuple[str | None, str]]
    skipped: int
    order: list[str]  # the providers used, in the order of their first Ingress
    owners: dict[str, ConfigMap]  # provider -> the controller ConfigMap it reads
    base_ctx: TranslateContext
    emitter: Emitter
    emit_options: EmitOptions
    gateway_class: GatewayClass | None


def plan(raws: Sequence[RawObject], options: ConvertOptions, *, consume: bool = False) -> Planned:
    """Read, dispatch, translate and merge: all of a conversion up to the emitter."""
    return complete(prepare(raws, options, consume=consume))


def complete(prepared: Prepared) -> Planned:
    """Translate and merge every Ingress of a prepared conversion: all of it up to the emitter."""
    ctxs = contexts(prepared)
    per_provider = translate(prepared, prepared.dispatched, ctxs)
    prepared.dispatched.clear()
    for name in sorted(per_provider):
        finalize(prepared, name, per_provider[name], ctxs[name])
        finalize_whole(prepared, name, per_provider[name], ctxs[name],
                       [prepared.providers[name].summary(per_provider[name], ctxs[name])])
    notes = prepared.notes
    model = merge(prepared, per_provider, notes, gateway_class=True)
    return planned(prepared, model, notes)


def planned(prepared: Prepared, model: GatewayModel | None, notes: list[Notification]) -> Planned:
    return Planned(model=model, emitter=prepared.emitter, emit_options=prepared.emit_options, notes=notes,
                   inputs=prepared.inputs, options=prepared.options, dispatcher=prepared.dispatcher,
                   dispatch=prepared.dispatch, skipped=prepared.skipped)


def prepare(raws: Sequence[RawObject], options: ConvertOptions, *, consume: bool = False,
            parsed: Inputs | None = None) -> Prepared:
    """Parse the input objects, check the options against them, and dispatch every Ingress to its provider;
    the statements about the whole input (parse problems, controller ConfigMaps) are made here. ``parsed``:
    ``raws`` already parsed (as they were read; see ``load_paths(listener=...)``)."""
    caps = capabilities(options.gateway_api_version, options.channel)
    if options.gateway_mode == "shared" and not options.gateway:
        raise UsageError("--gateway-mode shared needs --gateway NAMESPACE/NAME")
    shared_ref = _split_ref(options.gateway, "--gateway") if options.gateway else None

    working_on("reading the input objects")
    inputs = parsed if parsed is not None else parse_objects(list(raws), options.default_namespace)
    if consume and isinstance(raws, list):
        raws.clear()
    notes: list[Notification] = list(inputs.problems)

    providers: dict[str, Provider] = dict(plugins.providers())
    providers.setdefault(GENERIC.name, GENERIC)
    forced = _lookup(providers, options.provider, "--provider") if options.provider else None
    class_providers = {c: _lookup(providers, p, "--class-provider") for c, p in options.class_providers.items()}

    given = _given_configs(options, inputs, providers)
    base_ctx = TranslateContext(services=inputs.services, config_maps=inputs.config_maps, capabilities=caps,
                                services_known=bool(inputs.services))
    dispatcher = Dispatcher(providers, inputs.ingress_classes, forced=forced, class_providers=class_providers)

    dispatched: list[tuple[Ingress, Dispatch, list[Notification]]] = []
    dispatch: dict[tuple[str, str], tuple[str | None, str]] = {}
    skipped = 0
    for ing in sorted(inputs.ingresses, key=lambda i: i.key):
        working_on(ing.source)
        pre: list[Notification] = []
        d = dispatcher.dispatch(ing, pre)
        if options.ingress_classes and d.class_name not in options.ingress_classes:
            skipped += 1
            continue
        dispatcher.use(d)
        dispatched.append((ing, d, pre))
        dispatch[(ing.namespace, ing.name)] = (d.class_name, d.provider.name)
    order = list(dict.fromkeys(d.provider.name for _, d, _ in dispatched))
    used = sorted(order)
    owners = _config_owners(given, used, providers)
    for owner, cm in given:
        reader = next((n for n, c in owners.items() if c is cm), None)
        own = [n for n, c in owners.items() if c is not cm]  # providers reading a ConfigMap of their own
        notes.extend(_controller_config_outcomes(cm, owner, reader, used, own, providers))

    emitter = plugins.emitter(options.emitter)
    known = getattr(emitter, "settings", {})
    others = set(plugins.emitters()) - {emitter.name}
    for setting in sorted(options.emitter_settings):
        # Settings are named EMITTER.KEY; those of other emitters are ignored, so one command line can
        # serve several targets. Anything else unknown is a typo.
        if setting not in known and setting.partition(".")[0] not in others:
            raise UsageError(f"--emitter-setting {setting}: not a setting of emitter {emitter.name!r}"
                             + (f" (known: {', '.join(sorted(known))})" if known else " (it takes none)"))
    # A target emitter names its implementation's controller, used when --gateway-controller is not given.
    controller = options.gateway_controller or getattr(emitter, "gateway_controller", None)
    gateway_class = None
    if options.gateway_class and controller:
        gateway_class = GatewayClass(options.gateway_class, controller)
    elif options.gateway_controller:
        raise UsageError("--gateway-controller needs --gateway-class NAME")
    emit_options = EmitOptions(capabilities=caps, tool_version=__version__, allow_snippets=options.allow_snippets,
                               settings=dict(options.emitter_settings))
    return Prepared(options=options, caps=caps, shared_ref=shared_ref, inputs=inputs, notes=notes,
                    providers=providers, dispatcher=dispatcher, dispatched=dispatched, dispatch=dispatch,
                    skipped=skipped, order=order, owners=owners, base_ctx=base_ctx, emitter=emitter,
                    emit_options=emit_options, gateway_class=gateway_class)


def contexts(prepared: Prepared) -> dict[str, TranslateContext]:
    """A fresh context per provider used (one id counter shared among them), each with its own ConfigMap."""
    ids: dict[tuple[str, ...], int] = {}
    owners = prepared.owners
    return {name: replace(prepared.base_ctx, controller_config=dict(owners[name].data) if name in owners else {},
                          controller_config_given=name in owners, _ids=ids) for name in prepared.order}


def translate(prepared: Prepared, dispatched: Sequence[tuple[Ingress, Dispatch, list[Notification]]],
              ctxs: dict[str, TranslateContext]) -> dict[str, list[IngressTranslation]]:
    """Translate Ingresses (all or a part, in Ingress order): provider -> its translations, the providers in
    the order of the whole conversion's (so that a part states things in the order the whole would)."""
    per_provider: dict[str, list[IngressTranslation]] = {name: [] for name in prepared.order}
    providers = prepared.providers
    for ing, d, pre in dispatched:
        working_on(ing.source)
        ctx = ctxs[d.provider.name]
        ctx.current = ing.source
        tr = base_translation(ing, d.provider, ctx)
        tr.notifications[:0] = pre
        tr.class_name, tr.ingress_class = d.class_name, d.ingress_class
        d.provider.translate(tr, ctx)
        state_unclaimed(tr, d.provider, providers)
        per_provider[d.provider.name].append(tr)
        ctx.current = None
    return {name: trs for name, trs in per_provider.items() if trs}


def finalize(prepared: Prepared, name: str, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
    working_on(f"the Ingresses of provider {name} (finalize)")
    prepared.providers[name].finalize(translations, ctx)


def finalize_whole(prepared: Prepared, name: str, translations: list[IngressTranslation], ctx: TranslateContext,
                   summaries: Sequence[object]) -> None:
    working_on(f"the Ingresses of provider {name} (finalize)")
    provider = prepared.providers[name]
    provider.finalize_whole(translations, ctx, summaries)
    if type(provider).path_match is Provider.path_match:  # paths read as the specification says
        state_slash_precedence(translations)


def merge(prepared: Prepared, per_provider: dict[str, list[IngressTranslation]], notes: list[Notification], *,
          gateway_class: bool, amends: Amends | None = None) -> GatewayModel:
    """Merge the translations onto Gateways (emptying ``per_provider``); ``gateway_class``: add the
    GatewayClass of --gateway-class (one part of a partitioned conversion does); ``amends``: see ``build``."""
    options = prepared.options
    existing = {}
    for raw in prepared.inputs.gateway_api:
        meta = raw.data.get("metadata") or {}
        if raw.data.get("kind") == "Gateway" and isinstance(meta, dict):
            existing[(meta.get("namespace") or options.default_namespace, meta.get("name"))] = raw.data
    plans = _gateway_plans(per_provider, options, prepared.shared_ref, existing, notes)
    per_provider.clear()  # the plans hold the translations now, and build frees them plan by plan
    working_on("the merge of routes onto Gateways")
    caps = prepared.caps
    model = build(plans, shared=prepared.shared_ref is not None, rule_names=caps.rule_names, notes=notes,
                  listener_set_api=caps.listener_set, release=True, amends=amends)
    plans.clear()
    if gateway_class and prepared.gateway_class is not None:
        model.gateway_classes.append(prepared.gateway_class)
    return model


def finish(planned: Planned, emitted: EmitResult) -> ConversionResult:
    """The conversion's result: the emitter's outcomes stated on the notifications they concern, all
    notifications in input order. ``emitted.objects`` becomes the result's objects."""
    from ing2gw.api import ConversionResult

    notes = planned.notes  # changed in place: a notification replaced is freed at once
    for i, n in enumerate(notes):
        done = with_locations(_consumed(n, emitted.consumed) if n.requirement else n, emitted.locations)
        if done is not n:
            notes[i] = done
    notes.extend(emitted.notifications)
    notes.extend(planned.dispatcher.class_notes())
    if planned.skipped:
        notes.append(Notification(Outcome.NOT_ROUTING, "--ingress-class",
                                  f"{planned.skipped} Ingress(es) of other classes were left out (--ingress-class)",
                                  Source(kind="", namespace=None, name="")))
    _sort_by_object(notes)
    working_on(None)
    inputs = planned.inputs
    return ConversionResult(objects=emitted.objects, notifications=notes, ingresses=inputs.ingresses,
                            model=planned.model, ignored=inputs.ignored, options=planned.options,
                            dispatch=planned.dispatch, inputs=inputs)


def _gateway_plans(per_provider: dict[str, list[IngressTranslation]], options: ConvertOptions,
                   shared_ref: tuple[str, str] | None, existing: dict[Any, dict[str, Any]],
                   notes: list[Notification]) -> list[GatewayPlan]:
    """The Gateway each translation attaches to: per namespace and class, or the shared one."""
    plans: dict[tuple[str, str], GatewayPlan] = {}
    for trs in per_provider.values():
        for tr in trs:
            cls = tr.class_name
            gw_class = options.gateway_class or cls or "default"
            key = shared_ref if shared_ref else (tr.ingress.namespace, slug(cls or "default"))
            plan = plans.get(key)
            if plan is None:
                plan = plans[key] = GatewayPlan(namespace=key[0], name=key[1], class_name=gw_class,
                                                existing=existing.get(key) if shared_ref else None)
            plan.translations.append(tr)
            notes.extend(tr.notifications)
    return list(plans.values())


def _given_configs(options: ConvertOptions, inputs: Inputs, providers: dict[str, Provider]
                   ) -> list[tuple[str | None, ConfigMap]]:
    """The controller ConfigMaps of --controller-config, each with the provider it was named for (None: not
    named), in the order given. A ConfigMap holds one controller's settings: naming it twice is an error."""
    out: list[tuple[str | None, ConfigMap]] = []
    owner_of: dict[tuple[str, str], str | None] = {}
    for owner, ref in options.controller_config_owners():
        flag = f"--controller-config {owner + '=' if owner else ''}{ref}"
        if owner is not None and owner not in providers:
            raise UsageError(f"{flag}: unknown provider {owner!r}; installed: {', '.join(sorted(providers))}")
        key = _split_ref(ref, "--controller-config")
        cm = inputs.config_maps.get(key)
        if cm is None:
            raise UsageError(f"{flag}: no such ConfigMap in the input")
        if key in owner_of:
            first = owner_of[key]
            raise UsageError(f"{flag}: this ConfigMap is already given{f' for {first}' if first else ''}; a "
                             "controller ConfigMap holds the settings of one controller")
        owner_of[key] = owner
        out.append((owner, cm))
    return out


def _reads_config(p: Provider, cm: ConfigMap) -> bool:
    return p.controller_config_outcomes(cm.data, cm.source) is not None


def _config_owners(given: list[tuple[str | None, ConfigMap]], used: list[str],
                   providers: dict[str, Provider]) -> dict[str, ConfigMap]:
    """Which provider of this conversion reads which given ConfigMap. A ConfigMap named for a provider goes
    to it; the one given without a name goes to the one provider of the conversion that reads a controller
    ConfigMap and has none named. Two such providers make it ambiguous: every key would get two outcomes."""
    owners = {owner: cm for owner, cm in given if owner is not None and owner in used}
    for owner, cm in given:
        if owner is not None:
            continue
        readers = [n for n in used if n not in owners and _reads_config(providers[n], cm)]
        if len(readers) > 1:
            raise UsageError(
                f"--controller-config {cm.namespace}/{cm.name}: Ingresses of several controllers that read a "
                f"ConfigMap are converted ({', '.join(readers)}); say whose it is, as "
                f"--controller-config {readers[0]}={cm.namespace}/{cm.name} (repeatable, one per controller), "
                "or convert one controller at a time with --ingress-class")
        if readers:
            owners[readers[0]] = cm
    return owners


def _controller_config_outcomes(cm: ConfigMap, owner: str | None, reader: str | None, used: list[str],
                                own: list[str], providers: dict[str, Provider]) -> list[Notification]:
    """Every key of a --controller-config ConfigMap gets one outcome: from the provider that read it
    (``reader``), else "not read" (a provider that reads none would drop it silently)."""
    stated = providers[reader].controller_config_outcomes(cm.data, cm.source) if reader is not None else None
    if stated is not None:
        return stated
    if owner is not None and owner not in used:
        why = f"no Ingress of provider {owner} was converted, so this setting of --controller-config is not carried"
    elif owner is not None:
        why = f"provider {owner} reads no controller ConfigMap, so this setting of --controller-config is not carried"
    elif own:
        why = (f"{', '.join(own)} read the ConfigMap given for them, and no other provider of this conversion "
               "reads a controller ConfigMap, so this setting of --controller-config is not carried")
    else:
        who = ", ".join(used) or "none: no Ingress was converted"
        why = (f"the provider(s) of this conversion ({who}) read no controller ConfigMap, so this setting of "
               "--controller-config is not carried")
    return [Notification(Outcome.UNSUPPORTED, key, f"not read: {why}", cm.source.at(field=f"data.{key}"),
                         hint="Carry the setting on the Gateway implementation by hand, or leave out "
                              "--controller-config if the ConfigMap is not this controller's.")
            for key in sorted(cm.data)]


def with_locations(n: Notification, locations: Mapping[tuple[str, str], Sequence[str]]) -> Notification:
    """``n`` with the output objects and fields its element became (``locations``: what the emitter recorded)."""
    if n.emitted or not n.source.kind:
        return n
    where = locations.get((n.source.ref, n.subject))
    if not where:
        return n
    return evolve(n, emitted=tuple(dict.fromkeys(where)))


def _consumed(n: Notification, consumed: dict[str, Notification]) -> Notification:
    """The emitter's outcome for a requirement, stated for ``n``'s own annotation: several annotations
    may share one requirement (limit-rps and limit-burst-multiplier, say), and each keeps its subject."""
    done = consumed.get(n.requirement or "")
    if done is None:
        return n
    return evolve(done, subject=n.subject, source=n.source, requirement=n.requirement)


def _lookup(providers: dict[str, Provider], name: str, flag: str) -> Provider:
    if name not in providers:
        raise UsageError(f"{flag}: unknown provider {name!r}; installed: {', '.join(sorted(providers))}")
    return providers[name]


def _sort_by_object(notes: list[Notification]) -> None:
    """Sort ``notes`` by the object they concern (file, document, place in it, namespace, name, kind), in a
    stable order. One key per object, shared by its notifications: hundreds of thousands of key tuples
    would be most of a large conversion's peak memory."""
    keys: dict[int, tuple[str, int, str, str, str, str]] = {}

    def order(n: Notification) -> tuple[str, int, str, str, str, str]:
        o = n.source.origin
        key = keys.get(id(o))  # the origins live on in the notifications: their ids are not reused here
        if key is None:
            key = keys[id(o)] = (o.file or "~", o.doc if o.doc is not None else -1, o.path_prefix,
                                 o.namespace or "", o.name, o.kind)
        return key

    notes.sort(key=order)
