"""What each Gateway API version and channel can express, so emitters never emit a missing field or kind."""

from __future__ import annotations

from dataclasses import dataclass

VERSIONS: tuple[str, ...] = ("v1.2", "v1.3", "v1.4", "v1.5", "v1.6")
DEFAULT_VERSION = "v1.5"
CHANNELS: tuple[str, ...] = ("standard", "experimental")

# The CRD bundle each minor version is checked against (see ../shared/gateway-api/).
BUNDLES: dict[str, str] = {"v1.2": "v1.2.1", "v1.3": "v1.3.0", "v1.4": "v1.4.1", "v1.5": "v1.5.1", "v1.6": "v1.6.1"}


def parse_version(text: str) -> str:
    """``v1.5``, ``1.5``, ``v1.5.1`` -> ``v1.5``; raises ValueError for anything unknown."""
    t = text.strip().lower().lstrip("v")
    parts = t.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a Gateway API version: {text!r} (expected one of {', '.join(VERSIONS)})")
    v = f"v{int(parts[0])}.{int(parts[1])}"
    if v not in VERSIONS:
        raise ValueError(f"Gateway API {text} is not supported (expected one of {', '.join(VERSIONS)})")
    return v


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Fields and kinds available in one Gateway API version and channel."""

    version: str
    channel: str

    @property
    def minor(self) -> int:
        return int(self.version.split(".")[1])

    @property
    def experimental(self) -> bool:
        return self.channel == "experimental"

    @property
    def bundle(self) -> str:
        return BUNDLES[self.version]

    # --- HTTPRoute ------------------------------------------------------------------------------
    @property
    def redirect_codes(self) -> frozenset[int]:
        return frozenset({301, 302, 303, 307, 308}) if self.minor >= 5 else frozenset({301, 302})

    @property
    def cors(self) -> bool:
        return self.minor >= 5 or (self.experimental and self.minor >= 3)

    @property
    def cors_wildcard_origin(self) -> bool:
        """``allowOrigins: ["*"]`` is accepted from v1.4 on (v1.3 experimental wants scheme://host)."""
        return self.minor >= 4

    @property
    def cors_credentials_bool(self) -> bool:
        """``allowCredentials`` is a bool from v1.4 on (an enum ``true`` before, in v1.3 experimental)."""
        return self.minor >= 4

    @property
    def rule_names(self) -> bool:
        return self.minor >= 4 or self.experimental

    @property
    def retry(self) -> bool:
        return self.experimental

    @property
    def session_persistence(self) -> bool:
        return self.experimental

    @property
    def external_auth(self) -> bool:
        return self.experimental and self.minor >= 4

    @property
    def mirror_percent(self) -> bool:
        return self.minor >= 3 or self.experimental

    # --- kinds ------------------------------------------------------------------------------------
    @property
    def tls_route(self) -> str | None:
        """apiVersion of TLSRoute, or None when this version and channel lack it."""
        if self.minor >= 5:
            return "gateway.networking.k8s.io/v1"
        if self.experimental:
            return "gateway.networking.k8s.io/v1alpha3" if self.minor == 4 else "gateway.networking.k8s.io/v1alpha2"
        return None

    @property
    def backend_tls_policy(self) -> str | None:
        if self.minor >= 4:
            return "gateway.networking.k8s.io/v1"
        if self.experimental:
            return "gateway.networking.k8s.io/v1alpha3"
        return None

    @property
    def listener_set(self) -> str | None:
        if self.minor >= 5:
            return "gateway.networking.k8s.io/v1"
        if self.experimental and self.minor >= 3:
            return "gateway.networking.x-k8s.io/v1alpha1"
        return None

    @property
    def reference_grant(self) -> str:
        return "gateway.networking.k8s.io/v1" if self.minor >= 5 else "gateway.networking.k8s.io/v1beta1"


def capabilities(version: str, channel: str) -> Capabilities:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be standard or experimental, not {channel!r}")
    return Capabilities(parse_version(version), channel)
