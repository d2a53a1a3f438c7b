"""TLS and host names: ssl-passthrough (TLSRoute) and server-alias."""

from __future__ import annotations

from ing2gw.model import Ingress, Notification, Outcome
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    Provider,
    TranslateContext,
    parse_bool,
)

from . import PREFIX, REGISTRY
from ._common import GATEWAY_API, HOSTNAME

KEY = PREFIX + "ssl-passthrough"


def passthrough_only(provider: Provider, tr: IngressTranslation, ctx: TranslateContext) -> bool:
    """An Ingress with ssl-passthrough: "true" is a TLS passthrough; nginx ignores its other annotations."""
    value = tr.ingress.annotations.get(KEY)
    if value is None:
        return False
    try:
        on = parse_bool(value)
    except AnnotationValueError:
        return False
    if not on:
        return False
    src = tr.ingress.source.at(annotation=KEY)
    hosts = ", ".join(sorted({r.host for r in tr.routes if r.host})) or "none"
    caps = ctx.capabilities
    if caps.tls_route is None:
        # Terminating TLS with HTTP routes instead would change what the backend receives: emit nothing.
        tr.routes = []
        tr.default_backend = None
        tr.notifications.append(Notification(
            Outcome.UNSUPPORTED, KEY, f"TLS passthrough for {hosts} needs TLSRoute (Gateway API v1.5 standard, or the "
            f"experimental channel); {caps.version} {caps.channel} chosen: nothing was emitted for this Ingress", src,
            hint="Target v1.5+ or the experimental channel.", features=("TLSRoute",)))
    else:
        tr.passthrough = True
        for r in tr.routes:
            if r.path is not None:
                f = r.path.source.field or "spec.rules"
                tr.notifications.append(Notification(
                    Outcome.CAVEAT, f"{f}.plainHTTP", "the TLSRoute carries only TLS connections on port 443: "
                    "plain-HTTP requests for this host, which nginx still answered from this path, are not routed",
                    r.path.source, hint="Add an HTTPRoute for port 80 by hand if plain HTTP must keep working."))
        tr.notifications.append(Notification(
            Outcome.TRANSLATED, KEY, f"TLS passthrough for {hosts}: a TLS listener in Passthrough mode and a TLSRoute "
            "to the backend of each host's first path (nginx ignores the paths); the controller needed "
            "--enable-ssl-passthrough", src, features=("TLSRoute",)))
    for key in tr.ingress.annotations:
        if key != KEY and provider.registry.get(key) is not None:
            tr.notifications.append(Notification(
                Outcome.NOT_ROUTING, key, "ignored: nginx ignores every other annotation of an ssl-passthrough Ingress",
                tr.ingress.source.at(annotation=key)))
    return True


@REGISTRY.handler("ssl-passthrough", Outcome.TRANSLATED, gateway_api=GATEWAY_API["ssl-passthrough"], features=("TLSRoute",))
def ssl_passthrough(hc: HandlerContext) -> None:
    """Pass the TLS connection through to the backend by SNI (TLSRoute on a Passthrough listener).

    What the controller does:
      With the controller flag --enable-ssl-passthrough, connections whose SNI is the rule's host are
      proxied at layer 4 to the backend, which terminates TLS. Paths and every other annotation of the
      Ingress are ignored.

    Gateway API equivalent:
      A listener with protocol TLS, tls.mode Passthrough and the host as hostname, plus a TLSRoute to the
      backend (TLSRoute is standard from v1.5, experimental before).

    Caveats:
      The Ingress's other annotations are reported as ignored, as nginx ignores them.

    Example:
      ssl-passthrough: "true" on host db.example.com -> listener tls-db-example-com (Passthrough) + TLSRoute.
    """
    parse_bool(hc.value)  # "true" is handled before the handlers run (see passthrough_only)
    hc.state(Outcome.TRANSLATED, "off: an ordinary Ingress", features=())


def alias_names(ingress: Ingress) -> list[str]:
    """The names of an Ingress's server-alias annotation, as written (lower case)."""
    value = ingress.annotations.get(PREFIX + "server-alias", "")
    return [n.strip().lower() for n in value.split(",") if n.strip()]


@REGISTRY.handler("server-alias", Outcome.TRANSLATED, gateway_api=GATEWAY_API["server-alias"])
def server_alias(hc: HandlerContext) -> None:
    """Extra host names that serve the same routes (HTTPRoute hostnames).

    What the controller does:
      Adds the names to the `server_name` of the Ingress's server; a name that another Ingress uses as
      its host is ignored.

    Gateway API equivalent:
      The routes are also attached for these host names (with their own listeners).

    Caveats:
      HTTPS for an alias needs a certificate that covers it (an HTTPS listener is made only then).
      nginx regular-expression names (`~...`) cannot be expressed.

    Example:
      server-alias: "www.example.com, example.net" -> the same rules for both names.
    """
    names = [n.strip().lower() for n in hc.value.split(",") if n.strip()]  # as alias_names reads them
    good: list[str] = []
    bad: list[str] = []
    for n in names:
        body = n[2:] if n.startswith("*.") else n
        (good if HOSTNAME.match(body) else bad).append(n)
    if not good:
        hc.state(Outcome.UNSUPPORTED, f"no alias Gateway API can express: {', '.join(bad) or 'empty'}",
                 hint="nginx regular-expression server names have no equivalent.")
        return
    hc.translation.aliases.extend(a for a in good if a not in hc.translation.aliases)
    msg = f"the routes also serve {', '.join(good)} (unless another Ingress uses that host, as in nginx); HTTPS for " \
          "them needs a certificate covering them"
    if bad:
        hc.state(Outcome.CAVEAT, msg + f"; left out: {', '.join(bad)}")
    else:
        hc.state(Outcome.TRANSLATED, msg)
