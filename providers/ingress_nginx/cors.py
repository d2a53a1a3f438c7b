"""CORS: enable-cors and the cors-* settings, with ingress-nginx's defaults written out explicitly
(Gateway API's defaults differ: no credentials, maxAge 5)."""

from __future__ import annotations

import re

from ing2gw.model import CORS, Outcome
from ing2gw.provider import AnnotationValueError, HandlerContext, parse_bool

from . import REGISTRY
from ._common import GATEWAY_API, HEADER_NAME, plan, state_planned

DEFAULT_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS"
DEFAULT_HEADERS = ("DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,"
                   "Range,Authorization")
DEFAULT_MAX_AGE = 1728000
GATEWAY_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
_ORIGIN = re.compile(r"^(\*|https?://((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:[0-9]{1,5})?)$")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


@REGISTRY.handler("enable-cors", Outcome.TRANSLATED, gateway_api=GATEWAY_API["enable-cors"], features=("HTTPRouteCORS",), order=50)
def enable_cors(hc: HandlerContext) -> None:
    """Answer CORS preflights and add CORS headers (CORS filter, with nginx's defaults).

    What the controller does:
      Answers OPTIONS preflights itself and adds Access-Control-* headers, from cors-allow-origin (`*`),
      cors-allow-methods (GET, PUT, POST, DELETE, PATCH, OPTIONS), cors-allow-headers (DNT, Keep-Alive,
      User-Agent, X-Requested-With, If-Modified-Since, Cache-Control, Content-Type, Range, Authorization),
      cors-expose-headers (none), cors-allow-credentials (true) and cors-max-age (1728000).

    Gateway API equivalent:
      The HTTPRoute CORS filter (standard from v1.5, experimental in v1.3-v1.4) with every field set
      explicitly; older targets get requirement `cors` for a target emitter.

    Caveats:
      Gateway API `*.host` origins match any number of labels (nginx: one); origins other than http(s)
      cannot be expressed.

    Example:
      enable-cors: "true", cors-allow-origin: "https://app.example.com" -> CORS allowOrigins
      [https://app.example.com], allowCredentials true, maxAge 1728000.
    """
    tr = hc.translation
    if not parse_bool(hc.value):
        hc.state(Outcome.TRANSLATED, "CORS off: nothing to emit", features=())
        return
    a = hc.annotation
    caveats: list[str] = []

    origins_text = a("cors-allow-origin")
    origins = _split(origins_text) if origins_text is not None else ["*"]
    bad = [o for o in origins if not _ORIGIN.match(o)]
    origins = [o for o in origins if _ORIGIN.match(o)]
    if "*" in origins:
        origins = ["*"]
    if origins_text is not None:
        problems = []
        if bad:
            problems.append(f"origins Gateway API cannot express were left out: {', '.join(bad)}"
                            + ("" if origins else " (nginx fell back to *, and so does ing2gw)"))
        if any("*." in o for o in origins):
            problems.append("a *.host origin matches one label in nginx but any number of labels in Gateway API")
        if problems:
            plan(tr, "cors-allow-origin", Outcome.CAVEAT, "CORS allowOrigins; " + "; ".join(problems))
        else:
            plan(tr, "cors-allow-origin", Outcome.TRANSLATED, "CORS allowOrigins")
    origins = origins or ["*"]

    methods_text = a("cors-allow-methods")
    methods = [m.upper() for m in _split(methods_text if methods_text is not None else DEFAULT_METHODS)]
    unknown = [m for m in methods if m not in GATEWAY_METHODS]
    methods = list(dict.fromkeys(m for m in methods if m in GATEWAY_METHODS)) or ["*"]
    if methods_text is not None:
        if unknown:
            plan(tr, "cors-allow-methods", Outcome.CAVEAT, f"methods Gateway API CORS does not list were left out: "
                 f"{', '.join(unknown)}")
        else:
            plan(tr, "cors-allow-methods", Outcome.TRANSLATED, "CORS allowMethods")

    headers_text = a("cors-allow-headers")
    headers = _split(headers_text if headers_text is not None else DEFAULT_HEADERS)
    bad_h = [h for h in headers if h != "*" and not HEADER_NAME.match(h)]
    headers = ["*"] if "*" in headers else list(dict.fromkeys(h for h in headers if HEADER_NAME.match(h)))[:64]
    if headers_text is not None:
        if bad_h:
            plan(tr, "cors-allow-headers", Outcome.CAVEAT, f"invalid header names left out: {', '.join(bad_h)}")
        else:
            plan(tr, "cors-allow-headers", Outcome.TRANSLATED, "CORS allowHeaders")

    expose_text = a("cors-expose-headers")
    expose = [h for h in _split(expose_text or "") if HEADER_NAME.match(h)][:64]
    if expose_text is not None:
        plan(tr, "cors-expose-headers", Outcome.TRANSLATED, "CORS exposeHeaders")

    cred_text = a("cors-allow-credentials")
    credentials = True
    if cred_text is not None:
        try:
            credentials = parse_bool(cred_text)
            plan(tr, "cors-allow-credentials", Outcome.TRANSLATED, f"CORS allowCredentials {str(credentials).lower()}")
        except AnnotationValueError:
            plan(tr, "cors-allow-credentials", Outcome.CAVEAT, f"invalid value {cred_text!r}: nginx used true, and so "
                 "does ing2gw")
    if credentials and origins == ["*"]:
        caveats.append("with origin * and credentials, nginx answered Access-Control-Allow-Origin: * (which browsers "
                       "refuse for credentialed requests); Gateway API implementations echo the request's Origin "
                       "instead, which lets credentialed requests through")

    age_text = a("cors-max-age")
    max_age = DEFAULT_MAX_AGE
    if age_text is not None:
        try:
            max_age = int(age_text.strip())
            if max_age < 1:
                plan(tr, "cors-max-age", Outcome.CAVEAT, "Gateway API needs a maxAge of at least 1 second; 1 emitted")
                max_age = 1
            else:
                plan(tr, "cors-max-age", Outcome.TRANSLATED, f"CORS maxAge {max_age}")
        except ValueError:
            plan(tr, "cors-max-age", Outcome.CAVEAT, f"invalid value {age_text!r}: nginx used {DEFAULT_MAX_AGE}, and "
                 "so does ing2gw")
    max_age = min(max_age, 2**31 - 1)

    caps = hc.ctx.capabilities
    star = "*" in origins and not caps.cors_wildcard_origin  # v1.3 experimental: origins are scheme://host
    if not caps.cors or star:
        params = {"allow_origins": origins, "allow_methods": methods, "allow_headers": headers,
                  "expose_headers": expose, "allow_credentials": credentials, "max_age": max_age}
        why = ("the CORS filter needs Gateway API v1.5 (standard) or v1.3 (experimental)" if not caps.cors else
               "allowOrigins '*' needs Gateway API v1.4 or later")
        tr.extra["cors-requirement"] = hc.require("cors", params, message=f"{why}; {caps.version} {caps.channel} "
                                                  "chosen: kept as requirement cors",
                                                  hint="Target v1.5+, the experimental channel, or a target emitter "
                                                  "with CORS.")
        return
    f = CORS(source=hc.source, allow_origins=tuple(origins), allow_methods=tuple(methods),
             allow_headers=tuple(headers), expose_headers=tuple(expose), allow_credentials=credentials,
             max_age=max_age)
    for r in tr.routes:
        if r.backends:
            r.filters.append(f)
    msg = "CORS filter with nginx's values set explicitly (Gateway API defaults differ)"
    lossy = sorted(k[len("nginx.ingress.kubernetes.io/"):] for k, p in tr.extra.get("planned-outcomes", {}).items()
                   if k.startswith("nginx.ingress.kubernetes.io/cors-") and p.outcome is not Outcome.TRANSLATED)
    if lossy:
        caveats.append("some values could not be expressed (see " + ", ".join(lossy) + ")")
    if caveats:
        hc.state(Outcome.CAVEAT, msg + "; " + "; ".join(caveats))
    else:
        hc.state(Outcome.TRANSLATED, msg)


def _satellite(hc: HandlerContext) -> None:
    if (hc.annotation("enable-cors") or "").strip().lower() != "true":
        hc.state(Outcome.NOT_ROUTING, "no effect without enable-cors: \"true\"", features=())
        return
    planned = hc.translation.extra.get("planned-outcomes", {}).get(hc.key)
    if hc.translation.extra.get("cors-requirement") and (planned is None or planned.outcome is Outcome.TRANSLATED):
        hc.state(Outcome.NEEDS_EMITTER, "part of the cors requirement (see enable-cors)", features=(),
                 requirement=hc.translation.extra["cors-requirement"])
    elif not state_planned(hc):
        hc.state(Outcome.TRANSLATED, "part of the CORS settings (see enable-cors)")


_DOCS = {
    "cors-allow-origin": ("Allowed origins, comma-separated (default *).", "cors.allowOrigins",
                          "cors-allow-origin: \"https://a.example.com, https://b.example.com\""),
    "cors-allow-methods": ("Allowed methods (default GET, PUT, POST, DELETE, PATCH, OPTIONS).", "cors.allowMethods",
                           "cors-allow-methods: \"GET, POST\""),
    "cors-allow-headers": ("Allowed request headers (default DNT, Keep-Alive, User-Agent, ... Authorization).",
                           "cors.allowHeaders", "cors-allow-headers: \"X-Token, Content-Type\""),
    "cors-expose-headers": ("Response headers exposed to scripts (default none).", "cors.exposeHeaders",
                            "cors-expose-headers: \"X-Request-Id\""),
    "cors-allow-credentials": ("Allow credentialed requests (default true).", "cors.allowCredentials",
                               "cors-allow-credentials: \"false\""),
    "cors-max-age": ("How long browsers cache a preflight, in seconds (default 1728000).", "cors.maxAge",
                     "cors-max-age: \"600\""),
}


def _register(name: str, doc: str, field: str, example: str) -> None:
    def handler(hc: HandlerContext) -> None:
        _satellite(hc)

    handler.__doc__ = f"""{doc}

    What the controller does:
      Part of the CORS answer that enable-cors turns on; ignored without it.

    Gateway API equivalent:
      {field} of the CORS filter (see enable-cors).

    Caveats:
      Values Gateway API cannot express are left out and reported.

    Example:
      {example}
    """
    handler.__name__ = name.replace("-", "_")
    REGISTRY.handler(name, Outcome.TRANSLATED, gateway_api=GATEWAY_API[name], features=("HTTPRouteCORS",))(handler)


for _name, (_doc, _field, _example) in _DOCS.items():
    _register(_name, _doc, _field, _example)
