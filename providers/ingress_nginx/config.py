"""The controller ConfigMap's routing settings (ssl-redirect, http-redirect-code, hsts*,
use-forwarded-headers, global timeouts): one stated outcome each, and the defaults they imply; every
other key is stated by :mod:`.config_keys`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ing2gw.model import Notification, Outcome, Requirement, Source
from ing2gw.provider import IngressTranslation, TranslateContext

from .config_keys import proxying_routes, state_global_headers, state_remaining
from .redirects import http_redirect_code

_HSTS = ("hsts", "hsts-max-age", "hsts-include-subdomains", "hsts-preload")
_TIMEOUTS = {"proxy-connect-timeout": "connect", "proxy-read-timeout": "read", "proxy-send-timeout": "send"}


@dataclass(frozen=True, slots=True)
class Summary:
    """What the statements about the whole conversion need to know of one part's translations."""

    first: tuple[str, str, str]  # the oldest Ingress's key
    first_tls: tuple[str, str, str] | None  # the oldest one serving HTTPS (not passthrough, not a canary)
    proxying: int  # rules that proxy (the routes add-headers and proxy-set-headers reach)


def config_source(source: Source | None) -> Source:
    """Where the controller ConfigMap's settings come from (a stand-in when it is not in the input)."""
    return source or Source(kind="ConfigMap", namespace=None, name="controller-config")


def summary(translations: list[IngressTranslation]) -> Summary:
    tls = _first_tls(translations)
    return Summary(translations[0].ingress.key, tls.ingress.key if tls else None, proxying_routes(translations))


def _first_tls(translations: list[IngressTranslation]) -> IngressTranslation | None:
    return next((t for t in translations if t.tls and not t.passthrough and not t.extra.get("canary")), None)


def state_config(translations: list[IngressTranslation], ctx: TranslateContext, cfg: Mapping[str, str],
                 source: Source | None, extra_notes: list[Notification], summaries: Sequence[object]) -> None:
    """State every key of the controller ConfigMap once, on the oldest Ingress of the whole conversion (and the
    HSTS default on the oldest serving HTTPS), with ``summaries`` of every part (see ``Provider.summary``)."""
    if not translations:
        return
    parts = [s for s in summaries if isinstance(s, Summary)]
    tls_keys = [s.first_tls for s in parts if s.first_tls is not None]
    first = translations[0]
    if first.ingress.key == min(s.first for s in parts):
        _state_keys(first, ctx, cfg, source, extra_notes, sum(s.proxying for s in parts))
    tls = _first_tls(translations)
    if tls is not None and tls_keys and tls.ingress.key == min(tls_keys):
        _hsts_default(tls, cfg)


def _hsts_default(tls: IngressTranslation, cfg: Mapping[str, str]) -> None:
    if "hsts" not in cfg:  # the controller's default: on
        age = cfg.get("hsts-max-age", "31536000")
        tls.notifications.append(Notification(
            Outcome.CAVEAT, "hsts (controller default)", f"ingress-nginx answered HTTPS requests with "
            f"Strict-Transport-Security: max-age={age}; includeSubDomains by default; Gateway API has no HSTS "
            "setting, so browsers stop receiving it", tls.tls[0].source,
            hint="Add a ResponseHeaderModifier setting Strict-Transport-Security on the HTTPS routes, or a "
            "target policy."))


def _state_keys(first: IngressTranslation, ctx: TranslateContext, cfg: Mapping[str, str], source: Source | None,
                extra_notes: list[Notification], proxying: int) -> None:
    first.notifications.extend(extra_notes)
    src = config_source(source)

    stated: set[str] = set()

    def say(key: str, outcome: Outcome, message: str, hint: str | None = None, req: Requirement | None = None) -> None:
        stated.add(key)
        first.notifications.append(Notification(outcome, key, message, src.at(field=f"data.{key}"), hint=hint,
                                                requirement=req.id if req else None))

    if "ssl-redirect" in cfg:
        say("ssl-redirect", Outcome.TRANSLATED, f"default ssl-redirect {cfg['ssl-redirect']!r} applied to every "
            "Ingress without the annotation")
    if "force-ssl-redirect" in cfg:
        say("force-ssl-redirect", Outcome.TRANSLATED, f"default force-ssl-redirect {cfg['force-ssl-redirect']!r} "
            "applied to every Ingress without the annotation")
    if "no-tls-redirect-locations" in cfg:
        say("no-tls-redirect-locations", Outcome.TRANSLATED, "paths starting with these prefixes are not redirected "
            "to HTTPS: " + cfg["no-tls-redirect-locations"])
    if "http-redirect-code" in cfg:
        code = http_redirect_code(cfg)
        if str(code) == cfg["http-redirect-code"].strip():
            say("http-redirect-code", Outcome.TRANSLATED, f"HTTP-to-HTTPS and www redirects use {code}")
        else:
            say("http-redirect-code", Outcome.CAVEAT, f"invalid code {cfg['http-redirect-code']!r}: nginx used 308, "
                "and so does ing2gw")
    if "use-forwarded-headers" in cfg:
        say("use-forwarded-headers", Outcome.CAVEAT, "nginx trusted X-Forwarded-For/-Proto/-Host from clients "
            "(force-ssl-redirect uses X-Forwarded-Proto here); Gateway API has no field for trusted proxies",
            hint="Configure client address detection on the Gateway implementation (for example Envoy Gateway "
            "ClientTrafficPolicy clientIPDetection).")
    hsts_off = cfg.get("hsts", "true").strip().lower() == "false"
    for key in _HSTS:
        if key in cfg and hsts_off:
            say(key, Outcome.TRANSLATED if key == "hsts" else Outcome.NOT_ROUTING,
                "HSTS off, as without a Strict-Transport-Security header in Gateway API" if key == "hsts"
                else "no effect: hsts is false")
        elif key in cfg:
            say(key, Outcome.UNSUPPORTED, "HSTS has no Gateway API field", hint="Add a ResponseHeaderModifier "
                "setting Strict-Transport-Security on the HTTPS routes, or use a target policy.")
    for key, kind in _TIMEOUTS.items():
        if key not in cfg:
            continue
        try:
            value = float(cfg[key].strip().rstrip("s"))
        except ValueError:
            say(key, Outcome.CAVEAT, f"invalid value {cfg[key]!r}: nginx kept its default")
            continue
        params: dict[str, float | None] = {"connect": None, "read": None, "send": None}
        params[kind] = value
        req = Requirement("backend-timeouts", params, src.at(field=f"data.{key}"), target="gateway",
                          id=ctx.next_id("backend-timeouts", src))
        first.requirements.append(req)
        say(key, Outcome.NEEDS_EMITTER, f"default {kind} timeout {value:g}s for every backend: HTTPRoute timeouts are "
            "totals, not nginx's per-operation timeouts; kept as requirement backend-timeouts (gateway)",
            hint="A target emitter can set it on the Gateway.", req=req)
    state_global_headers(ctx, cfg, src, say, proxying)
    state_remaining(cfg, stated, say)
