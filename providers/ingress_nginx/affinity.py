"""Session affinity: affinity, affinity-mode, affinity-canary-behavior, session-cookie-*.

Gateway API's ``sessionPersistence`` (experimental channel) names the cookie and its lifetime; cookie
attributes (path, domain, SameSite, Secure) have no field.
"""

from __future__ import annotations

from ing2gw.model import Outcome, SessionPersistence
from ing2gw.provider import AnnotationValueError, HandlerContext, parse_bool, parse_int

from . import REGISTRY
from ._common import GATEWAY_API, duration, plan, state_planned

DEFAULT_COOKIE = "INGRESSCOOKIE"
_NOT_EXPRESSIBLE = {
    "session-cookie-path": "Path",
    "session-cookie-domain": "Domain",
    "session-cookie-samesite": "SameSite",
    "session-cookie-conditional-samesite-none": "conditional SameSite=None",
    "session-cookie-secure": "Secure",
    "session-cookie-change-on-failure": "re-issue on backend failure",
}


@REGISTRY.handler("affinity", Outcome.TRANSLATED, gateway_api=GATEWAY_API["affinity"], order=50)
def affinity(hc: HandlerContext) -> None:
    """Sticky sessions with a cookie (sessionPersistence, experimental channel).

    What the controller does:
      `affinity: cookie` pins each client to one endpoint of the Ingress's Services with a cookie
      (session-cookie-name, default INGRESSCOOKIE), with optional Max-Age/Expires, Path, Domain, SameSite
      and Secure attributes.

    Gateway API equivalent:
      HTTPRoute rule `sessionPersistence` type Cookie with sessionName, and absoluteTimeout plus
      cookieConfig.lifetimeType Permanent when the cookie has a lifetime (experimental channel only).
      On the standard channel: requirement `session-affinity` for a target emitter.

    Caveats:
      Cookie attributes (path, domain, samesite, secure) have no Gateway API field.

    Example:
      affinity: cookie, session-cookie-name: route, session-cookie-max-age: "3600" -> sessionPersistence
      {type: Cookie, sessionName: route, absoluteTimeout: 3600s, cookieConfig: {lifetimeType: Permanent}}.
    """
    if hc.value.strip().lower() != "cookie":
        raise AnnotationValueError('only "cookie" is supported by ingress-nginx')
    tr = hc.translation
    a = hc.annotation
    name = (a("session-cookie-name") or "").strip() or DEFAULT_COOKIE
    lifetime = None
    for key in ("session-cookie-max-age", "session-cookie-expires"):
        text = a(key)
        if text is None:
            continue
        try:
            lifetime = lifetime or parse_int(text, 1, None)
        except AnnotationValueError:
            plan(tr, key, Outcome.ERROR, f"invalid value {text!r}: expected seconds")
    mode = (a("affinity-mode") or "balanced").strip().lower()
    caps = hc.ctx.capabilities
    if caps.session_persistence:
        sp = SessionPersistence(type="Cookie", session_name=name[:128],
                                absolute_timeout=duration(lifetime) if lifetime else None,
                                lifetime_type="Permanent" if lifetime else "Session")
        for r in tr.routes:
            if r.backends:
                r.session_persistence = sp
        tr.extra["affinity"] = "gateway"
        hc.state(Outcome.TRANSLATED, f"sessionPersistence Cookie {name}" + (f", absoluteTimeout {duration(lifetime)}"
                 if lifetime else ", session cookie"))
        return
    tr.extra["affinity"] = "requirement"
    params = {"cookie_name": name, "max_age": lifetime, "path": a("session-cookie-path"),
              "secure": _maybe_bool(a("session-cookie-secure")), "samesite": a("session-cookie-samesite"),
              "mode": mode if mode in ("balanced", "persistent") else "balanced"}
    tr.extra["affinity-requirement"] = hc.require("session-affinity", params, message=f"sessionPersistence is experimental-channel only "
               f"({caps.version} {caps.channel} chosen): cookie {name} kept as requirement session-affinity",
               hint="Use --channel experimental, or a target emitter with sticky sessions.")


def _maybe_bool(text: str | None) -> bool | None:
    if text is None:
        return None
    try:
        return parse_bool(text)
    except AnnotationValueError:
        return None


def _mode(hc: HandlerContext) -> str | None:
    m = hc.translation.extra.get("affinity")
    if m is None:
        hc.state(Outcome.NOT_ROUTING, "no effect without affinity: cookie", features=())
    return m


@REGISTRY.handler("affinity-mode", Outcome.CAVEAT, gateway_api=GATEWAY_API["affinity-mode"])
def affinity_mode(hc: HandlerContext) -> None:
    """balanced (default) re-spreads some sessions when endpoints scale; persistent never does.

    What the controller does:
      In balanced mode nginx moves some sticky sessions to new endpoints after scaling; persistent keeps
      every session on its endpoint.

    Gateway API equivalent:
      None: session persistence keeps a session on its endpoint while it exists (closest to persistent).

    Caveats:
      balanced behaviour is lost.

    Example:
      affinity-mode: persistent -> nothing more to emit.
    """
    v = hc.value.strip().lower()
    if v not in ("balanced", "persistent"):
        raise AnnotationValueError('expected "balanced" or "persistent"')
    m = _mode(hc)
    if m is None:
        return
    if v == "persistent":
        hc.state(Outcome.TRANSLATED, "persistent: Gateway API session persistence keeps sessions on their endpoint")
    elif m == "requirement":
        hc.state(Outcome.NEEDS_EMITTER, "balanced mode is part of the session-affinity requirement (see affinity)",
                 requirement=hc.translation.extra.get("affinity-requirement"))
    else:
        hc.state(Outcome.CAVEAT, "balanced re-spreading after scaling has no equivalent: sessions stay on their "
                 "endpoint (like persistent)")


@REGISTRY.handler("affinity-canary-behavior", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["affinity-canary-behavior"])
def affinity_canary_behavior(hc: HandlerContext) -> None:
    """Whether clients that reached the canary stay on it (sticky, default) or not (legacy): no equivalent.

    What the controller does:
      With sticky, a client pinned to a canary endpoint keeps going to the canary.

    Gateway API equivalent:
      None: canary selection (weights, headers) happens before session persistence.

    Caveats:
      Weighted canary traffic is re-drawn per request unless the implementation persists it.

    Example:
      affinity-canary-behavior: legacy -> reported.
    """
    v = hc.value.strip().lower()
    if v not in ("sticky", "legacy"):
        raise AnnotationValueError('expected "sticky" or "legacy"')
    if _mode(hc) is None:
        return
    hc.state(Outcome.UNSUPPORTED, f"{v}: canary stickiness cannot be expressed in Gateway API")


@REGISTRY.handler("session-cookie-name", Outcome.TRANSLATED, gateway_api=GATEWAY_API["session-cookie-name"])
def session_cookie_name(hc: HandlerContext) -> None:
    """Name of the affinity cookie (default INGRESSCOOKIE).

    What the controller does:
      The cookie that pins the client.

    Gateway API equivalent:
      sessionPersistence.sessionName.

    Caveats:
      None.

    Example:
      session-cookie-name: route -> sessionName route.
    """
    m = _mode(hc)
    if m == "gateway":
        hc.state(Outcome.TRANSLATED, "sessionPersistence.sessionName")
    elif m == "requirement":
        hc.state(Outcome.NEEDS_EMITTER, "part of the session-affinity requirement (see affinity)",
                 requirement=hc.translation.extra.get("affinity-requirement"))


def _lifetime(hc: HandlerContext) -> None:
    if state_planned(hc):
        return
    m = _mode(hc)
    if m == "gateway":
        hc.state(Outcome.TRANSLATED, "sessionPersistence.absoluteTimeout with cookieConfig.lifetimeType Permanent")
    elif m == "requirement":
        hc.state(Outcome.NEEDS_EMITTER, "part of the session-affinity requirement (see affinity)",
                 requirement=hc.translation.extra.get("affinity-requirement"))


@REGISTRY.handler("session-cookie-max-age", Outcome.TRANSLATED, gateway_api=GATEWAY_API["session-cookie-max-age"])
def session_cookie_max_age(hc: HandlerContext) -> None:
    """Max-Age of the affinity cookie, in seconds.

    What the controller does:
      Sets Max-Age (the cookie outlives the browser session).

    Gateway API equivalent:
      sessionPersistence.absoluteTimeout + cookieConfig.lifetimeType Permanent.

    Caveats:
      absoluteTimeout also ends the session on the Gateway side.

    Example:
      session-cookie-max-age: "172800" -> absoluteTimeout 48h.
    """
    _lifetime(hc)


@REGISTRY.handler("session-cookie-expires", Outcome.TRANSLATED, gateway_api=GATEWAY_API["session-cookie-expires"])
def session_cookie_expires(hc: HandlerContext) -> None:
    """Expires of the affinity cookie, in seconds from now (used when max-age is absent).

    What the controller does:
      Sets Expires on the cookie.

    Gateway API equivalent:
      sessionPersistence.absoluteTimeout + lifetimeType Permanent (session-cookie-max-age wins).

    Caveats:
      See session-cookie-max-age.

    Example:
      session-cookie-expires: "3600" -> absoluteTimeout 3600s.
    """
    _lifetime(hc)


def _attribute(hc: HandlerContext) -> None:
    m = _mode(hc)
    if m is None:
        return
    what = _NOT_EXPRESSIBLE[hc.handler.name]
    carried = hc.handler.name in ("session-cookie-path", "session-cookie-secure", "session-cookie-samesite")
    if m == "requirement" and carried:
        hc.state(Outcome.NEEDS_EMITTER, f"cookie {what} is part of the session-affinity requirement (see affinity)",
                 requirement=hc.translation.extra.get("affinity-requirement"))
    else:
        hc.state(Outcome.UNSUPPORTED, f"cookie {what} cannot be set: Gateway API session persistence has no cookie "
                 "attribute fields", hint="Use a target emitter's sticky-session policy if the attribute matters.")


def _register(name: str, doc: str, example: str) -> None:
    def handler(hc: HandlerContext) -> None:
        _attribute(hc)

    handler.__doc__ = f"""{doc}

    What the controller does:
      Sets that attribute of the affinity cookie (with affinity: cookie).

    Gateway API equivalent:
      None: sessionPersistence has no cookie attribute fields. On the standard channel, Path, Secure and
      SameSite travel in requirement `session-affinity` for a target emitter.

    Caveats:
      The Gateway's cookie uses the implementation's attributes.

    Example:
      {example}
    """
    handler.__name__ = name.replace("-", "_")
    REGISTRY.handler(name, Outcome.UNSUPPORTED, gateway_api=GATEWAY_API[name])(handler)


for _name, _doc, _example in (
    ("session-cookie-path", "Path attribute of the affinity cookie (nginx requires it with use-regex).",
     "session-cookie-path: /app -> reported."),
    ("session-cookie-domain", "Domain attribute of the affinity cookie.", "session-cookie-domain: .example.com -> reported."),
    ("session-cookie-samesite", "SameSite attribute of the affinity cookie (None, Lax, Strict).",
     "session-cookie-samesite: Strict -> reported."),
    ("session-cookie-conditional-samesite-none", "Omit SameSite=None for browsers that mishandle it.",
     "session-cookie-conditional-samesite-none: \"true\" -> reported."),
    ("session-cookie-secure", "Secure attribute of the affinity cookie.", "session-cookie-secure: \"true\" -> reported."),
    ("session-cookie-change-on-failure", "Issue a new cookie when the pinned endpoint fails.",
     "session-cookie-change-on-failure: \"true\" -> reported."),
):
    _register(_name, _doc, _example)
