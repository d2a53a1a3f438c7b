"""ingress-nginx snippets and ModSecurity: raw nginx configuration that Gateway API cannot carry.

Every key here is UNSUPPORTED (``--strict`` fails on it). Where the snippet was active in the source
cluster, a ``snippet`` or ``waf`` requirement keeps its text, so an emitter run with ``--allow-snippets``
can carry it into an implementation's raw-config object (for example an NGINX Gateway Fabric
SnippetsFilter). A snippet the source controller ignored gets no requirement: carrying it over would
add behaviour the cluster never had.
"""

from __future__ import annotations

import re
from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext

from ._policy import (
    Parsed,
    config_flag,
    config_known,
    config_value,
    inert,
    parse_flag,
    policy,
    raise_own_error,
    shared_requirement,
)

_DIRECTIVE = re.compile(r"(?:^|[;{}])\s*([A-Za-z_][A-Za-z0-9_]*)")

# What to use instead, per snippet context.
_INSTEAD = {
    "location": "re-express its directives with Gateway API where they map (more_set_headers/add_header -> "
    "ResponseHeaderModifier, proxy_set_header -> RequestHeaderModifier, return 30x -> RequestRedirect, "
    "rewrite -> URLRewrite), otherwise an implementation policy (NGINX Gateway Fabric SnippetsFilter, "
    "Envoy Gateway EnvoyPatchPolicy) after review",
    "server": "it applies to the whole host (every Ingress on it): re-express it per route as for "
    "configuration-snippet, or use an implementation policy for the host (NGINX Gateway Fabric "
    "SnippetsPolicy) after review",
    "stream": "re-model the extra TCP/UDP servers it defines as TCPRoute/UDPRoute (standard channel from "
    "Gateway API v1.6) or TLSRoute with their own listeners",
    "auth": "move what it does into the auth service itself, or into the implementation's external-auth "
    "settings (Envoy Gateway SecurityPolicy.extAuth)",
    "modsecurity": "re-author the rules for a WAF the Gateway implementation supports (NGINX Gateway Fabric "
    "WAFPolicy, an Envoy Gateway EnvoyExtensionPolicy with Coraza)",
}


def snippet_status(hc: HandlerContext) -> tuple[bool | None, str]:
    """Whether ingress-nginx applied snippet annotations (None: unknown), and why."""
    if not config_known(hc):
        return None, ("ingress-nginx v1.9+ applies snippet annotations only when its ConfigMap sets "
                      "allow-snippet-annotations: \"true\" (and, from v1.12, annotations-risk-level: Critical); "
                      "no controller ConfigMap was given (--controller-config), so whether it was active is unknown")
    if not config_flag(hc, "allow-snippet-annotations", False):
        return False, ("it was inert in the source cluster: the controller ConfigMap does not set "
                       "allow-snippet-annotations to \"true\", so ingress-nginx dropped it")
    risk = (config_value(hc, "annotations-risk-level") or "High").strip()
    if risk.lower() != "critical":
        return False, (f"it was inert in the source cluster: annotations-risk-level is {risk}, which rejects "
                       "Critical-risk annotations such as snippets")
    return True, "it was active in the source cluster (allow-snippet-annotations and annotations-risk-level "\
                 "Critical are set)"


def directives(text: str) -> list[str]:
    """The nginx directive names a snippet uses (names only: snippet text is never echoed)."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for m in _DIRECTIVE.finditer(line):
            seen.setdefault(m.group(1), None)
    return list(seen)


def state_snippet(hc: HandlerContext, context: str, what: str) -> None:
    """UNSUPPORTED, with a ``snippet`` requirement when the snippet may have been active."""
    active, why = snippet_status(hc)
    names = directives(hc.value)
    uses = f" (directives: {', '.join(names[:12])}{', ...' if len(names) > 12 else ''})" if names else ""
    message = (f"{what}{uses}: raw nginx configuration has no Gateway API equivalent and ing2gw does not "
               f"interpret nginx config; {why}")
    hint = f"Instead, {_INSTEAD[context]}."
    if active is False:
        hc.state(Outcome.UNSUPPORTED, message, hint="Remove it: it had no effect. " + hint)
        return
    req = Requirement(feature="snippet", params={"context": context, "text": hc.value},
                      source=hc.source, target="rule" if context in ("location", "auth") else "route",
                      id=hc.ctx.next_id("snippet"))
    if req.target == "rule":
        for r in hc.translation.routes:
            r.requirements.append(req)
    else:
        hc.translation.requirements.append(req)
    hc.state(Outcome.UNSUPPORTED, message,
             hint=hint + " An emitter run with --allow-snippets may carry the text as is (review it first).",
             requirement=req)


@policy("configuration-snippet", Outcome.UNSUPPORTED, hint="Re-express the directives; see ing2gw explain.")
def configuration_snippet(hc: HandlerContext) -> None:
    """Raw nginx directives in every location of this Ingress: unsupported, kept for --allow-snippets.

    What the controller does:
        Pastes the text into each nginx ``location`` block generated for this Ingress's paths. It is a
        Critical-risk annotation: v1.9+ ignores it unless the ConfigMap sets
        ``allow-snippet-annotations: "true"``, and v1.12+ also needs ``annotations-risk-level: Critical``.
    Gateway API equivalent:
        None. Common directives map by hand: ``more_set_headers``/``add_header`` to a
        ResponseHeaderModifier, ``proxy_set_header`` to a RequestHeaderModifier, ``return 301 ...`` to a
        RequestRedirect, ``rewrite`` to a URLRewrite.
    Caveats:
        Stated as unsupported, so ``--strict`` fails. The directive names are listed; the text is kept in a
        ``snippet`` requirement (context ``location``) only when the snippet may have been active, for an
        emitter run with ``--allow-snippets`` (for example an NGINX Gateway Fabric SnippetsFilter).
    Example:
        ``configuration-snippet: more_set_headers "X-Frame-Options: DENY";`` -> unsupported; add a
        ResponseHeaderModifier that sets ``X-Frame-Options: DENY`` by hand.
    """
    state_snippet(hc, "location", "nginx directives for each location of this Ingress")


@policy("server-snippet", Outcome.UNSUPPORTED, hint="Re-express the directives; see ing2gw explain.")
def server_snippet(hc: HandlerContext) -> None:
    """Raw nginx directives in the server block of the host: unsupported, kept for --allow-snippets.

    What the controller does:
        Pastes the text into the nginx ``server`` block of each host of this Ingress, so it affects every
        Ingress on that host (only one server-snippet per host is used). Critical risk, like all snippets.
    Gateway API equivalent:
        None. Host-wide behaviour needs an implementation policy (NGINX Gateway Fabric SnippetsPolicy) or
        a per-route re-expression of each directive.
    Caveats:
        Unsupported (``--strict`` fails); the text goes to a ``snippet`` requirement (context ``server``)
        only when the snippet may have been active.
    Example:
        ``server-snippet: location /metrics { deny all; }`` -> unsupported; an HTTPRoute rule for
        ``/metrics`` without backends cannot deny either, so use an authorization policy of the target.
    """
    state_snippet(hc, "server", "nginx directives for the server block of this Ingress's hosts")


@policy("stream-snippet", Outcome.UNSUPPORTED, hint="Re-model as TCPRoute/UDPRoute.")
def stream_snippet(hc: HandlerContext) -> None:
    """Raw nginx stream (TCP/UDP) configuration: unsupported; re-model as TCPRoute/UDPRoute.

    What the controller does:
        Pastes the text into nginx's top-level ``stream`` block, typically to add L4 ``server`` blocks
        listening on extra ports. Critical risk, like all snippets.
    Gateway API equivalent:
        TCPRoute/UDPRoute (standard from v1.6) or TLSRoute, each with a listener of its own, written by
        hand from what the snippet does.
    Caveats:
        Unsupported (``--strict`` fails); the text goes to a ``snippet`` requirement (context ``stream``)
        only when it may have been active.
    Example:
        ``stream-snippet: server { listen 5432; proxy_pass db.default.svc:5432; }`` -> a Gateway listener on
        5432 (protocol TCP) and a TCPRoute to Service db.
    """
    state_snippet(hc, "stream", "nginx stream-level configuration (extra TCP/UDP servers)")


# --- ModSecurity -----------------------------------------------------------------------------------


def _waf(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        enable = p.get("enable-modsecurity", parse_flag)
        owasp = p.get("enable-owasp-core-rules", parse_flag, False)
        txid = p.get("modsecurity-transaction-id", _parse_txid)
        rules = p.get("modsecurity-snippet", str)
        known = config_known(hc)
        globally = config_flag(hc, "enable-modsecurity", False)
        # Off when this Ingress says "false", or when nothing turns it on and the ConfigMap is known.
        if enable is False or (not enable and known and not globally):
            return None
        active, _ = snippet_status(hc)
        params: dict[str, Any] = {
            "engine": "modsecurity", "rules": rules if active is not False else None,
            "owasp_crs": bool(owasp or config_flag(hc, "enable-owasp-modsecurity-crs", False)),
            "transaction_id": txid}
        return "waf", params

    return shared_requirement(hc, "waf", build, primary="enable-modsecurity")


def _parse_txid(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9\-_${}]*", value.strip()):
        raise AnnotationValueError("expected an nginx variable such as $request_id")
    return value.strip()


_WAF_HINT = ("Gateway implementations have no ModSecurity; " + _INSTEAD["modsecurity"] + ". An emitter that "
             "supports a WAF may consume the waf requirement.")


def _waf_state(hc: HandlerContext, name: str, what: str) -> None:
    req, parsed = _waf(hc)
    raise_own_error(hc, parsed, name)
    if req is not None:
        hc.state(Outcome.UNSUPPORTED, f"{what}: ModSecurity (a web application firewall inside nginx) has no "
                 "Gateway API equivalent", hint=_WAF_HINT, requirement=req)
        return
    if parsed.values.get("enable-modsecurity") is False:
        if name == "enable-modsecurity" and config_flag(hc, "enable-modsecurity", False):
            hc.state(Outcome.CAVEAT, "turns the globally enabled ModSecurity off for this Ingress: the output "
                     "has no WAF at all, so this holds", hint="If you add a Gateway-wide WAF, exempt these routes.")
            return
        why = "enable-modsecurity is \"false\" on this Ingress"
    else:
        why = "ModSecurity is off (neither this Ingress nor the controller ConfigMap enables it)"
    inert(hc, f"{what}: {why}")


@policy("enable-modsecurity", Outcome.UNSUPPORTED, hint=_WAF_HINT)
def enable_modsecurity(hc: HandlerContext) -> None:
    """Turns the ModSecurity WAF on (or off) for this Ingress: unsupported; kept as a waf requirement.

    What the controller does:
        ``"true"`` runs ModSecurity (with the recommended config) on this Ingress's locations; ``"false"``
        turns it off here when the ConfigMap enables it globally.
    Gateway API equivalent:
        None. NGINX Gateway Fabric WAFPolicy (F5 WAF) or an Envoy Gateway EnvoyExtensionPolicy running a
        Coraza Wasm/ext_proc filter; the rules must be re-authored and tested.
    Caveats:
        Unsupported (``--strict`` fails). A ``waf`` requirement (engine, rules, owasp_crs, transaction_id)
        is recorded for emitters that support a WAF.
    Example:
        ``enable-modsecurity: "true"`` + ``enable-owasp-core-rules: "true"`` -> waf requirement with
        ``owasp_crs: true``.
    """
    _waf_state(hc, "enable-modsecurity", "ModSecurity for this Ingress")


@policy("enable-owasp-core-rules", Outcome.UNSUPPORTED, hint=_WAF_HINT)
def enable_owasp_core_rules(hc: HandlerContext) -> None:
    """Loads the OWASP Core Rule Set into ModSecurity for this Ingress: unsupported (waf requirement).

    What the controller does:
        Adds the OWASP CRS rules file to this Ingress's ModSecurity, when ModSecurity is on.
    Gateway API equivalent:
        None; a WAF of the implementation with the CRS (Coraza ships it).
    Caveats:
        Unsupported; recorded as ``owasp_crs`` of the ``waf`` requirement.
    Example:
        ``enable-owasp-core-rules: "true"`` -> waf requirement with ``owasp_crs: true``.
    """
    _waf_state(hc, "enable-owasp-core-rules", "OWASP Core Rule Set")


@policy("modsecurity-transaction-id", Outcome.UNSUPPORTED, hint=_WAF_HINT)
def modsecurity_transaction_id(hc: HandlerContext) -> None:
    """ModSecurity transaction id (an nginx variable): unsupported (waf requirement).

    What the controller does:
        Sets ``modsecurity_transaction_id`` so WAF logs carry the given variable (``$request_id``).
    Gateway API equivalent:
        None.
    Caveats:
        Unsupported; recorded as ``transaction_id`` of the ``waf`` requirement.
    Example:
        ``modsecurity-transaction-id: "$request_id"`` -> waf requirement ``transaction_id: $request_id``.
    """
    _waf_state(hc, "modsecurity-transaction-id", "ModSecurity transaction id")


@policy("modsecurity-snippet", Outcome.UNSUPPORTED, hint=_WAF_HINT)
def modsecurity_snippet(hc: HandlerContext) -> None:
    """Inline ModSecurity rules for this Ingress: unsupported (waf requirement, snippet rules).

    What the controller does:
        Adds the text as ``modsecurity_rules`` (replacing the default rules file) when ModSecurity is on.
        Critical risk: ignored unless snippets are allowed (see configuration-snippet).
    Gateway API equivalent:
        None; rules must be re-authored for the implementation's WAF.
    Caveats:
        Unsupported (``--strict`` fails). The rules go to the ``waf`` requirement only when snippets may
        have been active in the source cluster.
    Example:
        ``modsecurity-snippet: SecRuleEngine On`` -> waf requirement ``rules: SecRuleEngine On``.
    """
    req, parsed = _waf(hc)
    active, why = snippet_status(hc)
    if req is not None and active is False:
        hc.state(Outcome.UNSUPPORTED, f"inline ModSecurity rules: {why}", hint="Remove it: it had no effect.")
        return
    _waf_state(hc, "modsecurity-snippet", "inline ModSecurity rules")
