"""The F5 NGINX Ingress Controller provider: path semantics, its TLS redirect default, mergeable Ingresses."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ing2gw.core.paths import normalise_prefix
from ing2gw.model import IngressPath, Notification, Outcome, PathMatch, RouteMatch
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    PathRoute,
    Provider,
    TranslateContext,
    run_handlers,
)

from ._common import INHERITED, MERGEABLE, PROXY, SERVER_KEYS, mergeable_type, note, restate
from ._registry import PREFIX, REGISTRY
from .routing import apply_tls_redirect

PATH_REGEX = PREFIX + "path-regex"
REGEX_MODES = ("case_sensitive", "case_insensitive", "exact")


class F5NginxProvider(Provider):
    name = "f5-nginx"
    title = "F5 NGINX Ingress Controller"
    controllers = ("nginx.org/ingress-controller",)
    class_names = ("nginx",)
    docs_url = ("https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/"
                "advanced-configuration-with-annotations/")
    gateway_classes = ("gateway.nginx.org/nginx-gateway-controller",)
    translated = True
    notes = (
        "Its usual class name `nginx` is also ingress-nginx's: without an IngressClass object ing2gw reads "
        "`nginx` as ingress-nginx unless the Ingress carries `nginx.org/` keys; `--class-provider nginx=f5-nginx` "
        "makes it explicit. Defaults differ from ingress-nginx: HTTPS redirects use 301, HSTS is off, timeouts are "
        "60 s. `Prefix` and `ImplementationSpecific` paths are plain nginx prefixes, matched character by "
        "character (`/p` also matches `/pq`): a path ending in `/` becomes an equivalent `PathPrefix`; any other "
        "becomes a `PathPrefix` too, with a caveat that `/pq`-style requests no longer match (a "
        "`RegularExpression` would keep them but loses Gateway API's longest-prefix order and is "
        "implementation-specific). `nginx.org/path-regex` turns the paths of that Ingress only into "
        "`RegularExpression` (`^path.*`, `(?i)` for case_insensitive) or `Exact` matches. Mergeable Ingresses: "
        "the minions' paths join the master's host; the master's server-level keys (TLS redirect, HSTS, "
        "redirect-to-https, auth, headers) and the inheritable location keys cover the minions' paths, as NIC "
        "merges them; a minion without a master is not served. A host belongs to the oldest Ingress (or master) "
        "that names it, as in NIC. NIC's ConfigMap defaults (global ssl-redirect, hsts, timeouts) are not read."
    )

    def path_match(self, path: IngressPath, translation: IngressTranslation, ctx: TranslateContext) -> PathMatch:
        value = path.path or "/"
        mode = translation.ingress.annotations.get(PATH_REGEX, "").strip()
        where = f"{path.source.field}.path"
        if mode in REGEX_MODES and mergeable_type(translation) != "master":
            if path.path_type == "Exact":
                translation.notifications.append(Notification(
                    Outcome.CAVEAT, where, f"Exact path {value!r} with nginx.org/path-regex: NIC writes the location "
                    f"as {'=' if mode == 'exact' else '~'} \"{'' if mode == 'exact' else '^'}= {value}\", which no "
                    "request matches; emitted as the Exact match the Ingress states", path.source.at(field=where),
                    hint="Use pathType Prefix or ImplementationSpecific with path-regex."))
                return PathMatch("Exact", value)
            if mode == "exact":
                return PathMatch("Exact", value)
            flag = "(?i)" if mode == "case_insensitive" else ""
            return PathMatch("RegularExpression", f"{flag}^{value}.*")
        if path.path_type == "Exact":
            return PathMatch("Exact", value)
        if value == "/" or value.endswith("/"):
            return PathMatch("PathPrefix", normalise_prefix(value))
        translation.notifications.append(Notification(
            Outcome.CAVEAT, where, f"{path.path_type} path {value!r} is a plain nginx prefix in NIC, matched "
            f"character by character (it also matched {value}-suffixed names such as {value}x); the PathPrefix "
            "emitted matches whole segments only", path.source.at(field=where),
            hint=f"If requests like {value}x must reach this backend, add a RegularExpression match ^{value}.* by "
            f"hand; end the path with '/' to silence this."))
        return PathMatch("PathPrefix", normalise_prefix(value))

    def translate(self, translation: IngressTranslation, ctx: TranslateContext) -> None:
        _default_backend_locations(translation)
        run_handlers(self, translation, ctx)
        if mergeable_type(translation) is None:
            apply_tls_redirect(translation, translation.ingress, ctx)

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        """Mergeable Ingresses: each minion's paths join its master's host with the master's settings."""
        masters: dict[str, IngressTranslation] = {}
        # An invalid mergeable key (a master with paths, a minion with TLS) stays an error; the Ingress is plain.
        translations = [t for t in translations if mergeable_type(t) is None
                        or ((n := note(t, MERGEABLE)) is not None and n.outcome is not Outcome.ERROR)]
        owners = self._host_owners([t for t in translations if mergeable_type(t) != "minion"])
        for tr in translations:
            if mergeable_type(tr) != "master":
                continue
            for rule in tr.ingress.rules:
                if rule.host and owners.get(rule.host) is tr:
                    masters[rule.host] = tr
                elif rule.host:
                    restate(tr, MERGEABLE, outcome=Outcome.CAVEAT, message=(
                        f"host {rule.host} is taken by the older {owners[rule.host].ingress.source.ref}: NIC ignores "
                        "this master and its minions"))
        applied: dict[tuple[int, str], list[str]] = defaultdict(list)  # (master, key) -> minions it covered
        notes: dict[tuple[int, str], Notification] = {}
        served: dict[int, list[str]] = defaultdict(list)  # master -> its minions
        for tr in translations:
            if mergeable_type(tr) != "minion":
                continue
            host = next((r.host for r in tr.ingress.rules if r.host), None)
            master = masters.get(host) if host else None
            if master is None:
                tr.routes.clear()
                tr.default_backend = None
                restate(tr, MERGEABLE, outcome=Outcome.CAVEAT, message=(
                    f"minion without a master for host {host or '(none)'}: NIC serves none of its paths, so no "
                    "routes were emitted for it"), hint="Add the master Ingress (host, TLS) to the input.")
                continue
            self._apply_master(master, tr, ctx, applied, notes)
            served[id(master)].append(_ref(tr))
        for tr in {id(t): t for t in masters.values()}.values():
            own = served.get(id(tr), [])
            restate(tr, MERGEABLE, message=(f"master of {', '.join(sorted(r.host for r in tr.ingress.rules if r.host))}"
                                            f": its TLS and server-level keys cover the paths of "
                                            f"{'minion(s) ' + ', '.join(own) if own else 'no minion (it serves nothing)'}"))
            for key in tr.ingress.annotations:
                if key == MERGEABLE:
                    continue
                on = applied.get((id(tr), key))
                if on:
                    first = notes[(id(tr), key)]
                    restate(tr, key, outcome=first.outcome, requirement=first.requirement, message=(
                        f"{first.message} (on the paths of minion(s) {', '.join(on)})"))
                elif key in INHERITED and (n := note(tr, key)) is not None and n.outcome is not Outcome.ERROR:
                    restate(tr, key, outcome=Outcome.NOT_ROUTING, requirement=None,
                            message="no effect: every minion of this master sets its own value (or it has none)")

    @staticmethod
    def _host_owners(translations: list[IngressTranslation]) -> dict[str | None, IngressTranslation]:
        """NIC gives each host to one Ingress (or master), the oldest; newer ones lose that host entirely."""
        owners: dict[str | None, IngressTranslation] = {}
        for tr in translations:  # oldest first
            lost: set[str | None] = set()
            for rule in tr.ingress.rules:
                first = owners.setdefault(rule.host, tr)
                if first is tr:
                    continue
                lost.add(rule.host)
                field = f"{rule.source.field}.host" if rule.host else (rule.source.field or "spec.rules")
                tr.notifications.append(Notification(
                    Outcome.CAVEAT, field, f"host {rule.host or '(any)'} is taken by the older "
                    f"{first.ingress.source.ref}: NIC serves none of this Ingress's paths on it, so no rules were "
                    "emitted for them", rule.source.at(field=field),
                    hint="To split one host over several Ingresses in NIC, use mergeable Ingresses (a master and "
                    "minions); in Gateway API several HTTPRoutes may share a hostname."))
            if lost:
                tr.routes[:] = [r for r in tr.routes if r.host not in lost]
                tr.tls[:] = [dataclasses.replace(t, hosts=tuple(h for h in t.hosts if h not in lost))
                             for t in tr.tls if not t.hosts or any(h not in lost for h in t.hosts)]
        return owners

    def _apply_master(self, master: IngressTranslation, minion: IngressTranslation, ctx: TranslateContext,
                      applied: dict[tuple[int, str], list[str]], notes: dict[tuple[int, str], Notification]) -> None:
        proxy = IngressTranslation(ingress=master.ingress, provider=self.name, routes=minion.routes,
                                   requirements=minion.requirements, backend_tls_policies=minion.backend_tls_policies,
                                   extra={PROXY: True})
        todo = []
        for key, value in master.ingress.annotations.items():
            h = self.registry.get(key)
            if h is None or h.apply is None:
                continue
            if key != MERGEABLE and (key in SERVER_KEYS or (key in INHERITED and key not in minion.ingress.annotations)):
                todo.append((h.order, key, value, h))
        for _, key, value, h in sorted(todo, key=lambda t: (t[0], t[1])):
            hc = HandlerContext(key=key, value=value, translation=proxy, ctx=ctx, handler=h)
            assert h.apply is not None
            try:
                h.apply(hc)
            except AnnotationValueError:
                continue
            if not hc.stated:
                hc.state()
            stated = note(proxy, key)
            if stated is not None and stated.outcome is not Outcome.NOT_ROUTING:
                applied[(id(master), key)].append(_ref(minion))
                notes.setdefault((id(master), key), stated)
        if minion.ingress.namespace == master.ingress.namespace:
            apply_tls_redirect(proxy, master.ingress, ctx)
        else:
            restate(minion, MERGEABLE, outcome=Outcome.CAVEAT, message=(
                f"minion of the master {master.ingress.source.ref} in another namespace: NIC merges across "
                "namespaces, but the master's TLS certificate is on its own namespace's Gateway, so this minion's "
                "paths get no HTTPS listener and no HTTPS redirect here"),
                hint="Use --gateway-mode shared (one Gateway for both namespaces), or move the minion next to its "
                "master.")


def _default_backend_locations(tr: IngressTranslation) -> None:
    """NIC serves spec.defaultBackend as the ``/`` location of each host that has no ``/`` path of its own, with
    the Ingress's location settings and its server's redirects; so it becomes a rule of each host here, before
    the handlers run (the core would add a bare catch-all instead)."""
    backend = tr.default_backend
    if backend is None or not tr.ingress.rules:
        return
    rooted = {p_rule.host for p_rule in tr.ingress.rules for p in p_rule.paths
              if (p.path or "/") == "/" and p.path_type != "Exact"}
    src = tr.default_backend_source or tr.ingress.source
    for host in dict.fromkeys(r.host for r in tr.ingress.rules):
        if host not in rooted:
            tr.routes.append(PathRoute(host=host, match=RouteMatch(path=PathMatch("PathPrefix", "/")),
                                       backends=[backend], source=src, ingress=tr.ingress, synthetic=True))
    tr.default_backend = None


def _ref(tr: IngressTranslation) -> str:
    return f"{tr.ingress.namespace}/{tr.ingress.name}"


PROVIDER = F5NginxProvider(REGISTRY)
