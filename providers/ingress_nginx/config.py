"""The controller ConfigMap's routing settings (ssl-redirect, http-redirect-code, hsts*,
use-forwarded-headers, global timeouts): one stated outcome each, and the defaults they imply; every
other key is stated by :mod:`.config_keys`."""

from __future__ import annotations

from collections.abc import Mapping

from ing2gw.model import Notification, Outcome, Requirement, Source
from ing2gw.provider import IngressTranslation, TranslateContext

from .config_keys import apply_global_headers, state_remaining
from .redirects import http_redirect_code

_HSTS = ("hsts", "hsts-max-age", "hsts-include-subdomains", "hsts-preload")
_TIMEOUTS = {"proxy-connect-timeout": "connect", "proxy-read-timeout": "read", "proxy-send-timeout": "send"}


def state_config(translations: list[IngressTranslation], ctx: TranslateContext, cfg: Mapping[str, str],
                 source: Source | None, extra_notes: list[Notification]) -> None:
    if not translations:
        return
    first = translations[0]
    first.notifications.extend(extra_notes)
    src = source or Source(kind="ConfigMap", namespace=None, name="controller-config")

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
    hsts_on = cfg.get("hsts", "true").strip().lower() == "true"
    if hsts_on and "hsts" not in cfg:
        tls = next((t for t in translations if t.tls and not t.passthrough and not t.extra.get("canary")), None)
        if tls is not None:
            age = cfg.get("hsts-max-age", "31536000")
            tls.notifications.append(Notification(
                Outcome.CAVEAT, "hsts (controller default)", f"ingress-nginx answered HTTPS requests with "
                f"Strict-Transport-Security: max-age={age}; includeSubDomains by default; Gateway API has no HSTS "
                "setting, so browsers stop receiving it", tls.tls[0].source,
                hint="Add a ResponseHeaderModifier setting Strict-Transport-Security on the HTTPS routes, or a "
                "target policy."))
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
                          id=ctx.next_id("backend-timeouts"))
        first.requirements.append(req)
        say(key, Outcome.NEEDS_EMITTER, f"default {kind} timeout {value:g}s for every backend: HTTPRoute timeouts are "
            "totals, not nginx's per-operation timeouts; kept as requirement backend-timeouts (gateway)",
            hint="A target emitter can set it on the Gateway.", req=req)
    apply_global_headers(translations, ctx, cfg, src, say)
    state_remaining(cfg, stated, say)
