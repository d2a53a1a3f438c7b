"""The emitter plugin API: how the model becomes manifests for one target.

An emitter is exposed through the entry-point group ``ing2gw.emitters``. It receives the
:class:`~ing2gw.model.GatewayModel` (including the requirements that core Gateway API cannot express)
and returns Kubernetes objects as plain dicts, plus notifications. The ids of the requirements it
consumed go in :attr:`EmitResult.consumed`; every other requirement stays reported by name.
Target emitters usually call the standard emitter first and add their own policy objects.

An emitter whose objects are independent of each other may also offer ``emit_parts``: the same output as
independent :class:`EmitPart` items, one per object, joined with :func:`join_results`. ``ing2gw convert``
then builds, validates and writes each object by itself (shared across processes on a large output), so
that a large output is never held as dicts all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ing2gw.core.versions import Capabilities
from ing2gw.model import GatewayModel, Notification


@dataclass(slots=True)
class EmitOptions:
    capabilities: Capabilities
    tool_version: str
    allow_snippets: bool = False
    # Values a target may need from the user (for example an Istio ext-authz provider name).
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class EmitResult:
    objects: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    # Requirement ids consumed, with the notification that replaces the "needs-target-emitter" one.
    consumed: dict[str, Notification] = field(default_factory=dict)
    # Where each input element ended up: (source object ref, annotation key or field path) ->
    # ["HTTPRoute ns/name spec.rules[0].filters[1]", ...]. The pipeline copies these into the
    # notifications' ``emitted`` so reports can say which object and field an annotation became.
    locations: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EmitPart:
    """One independent piece of an emitter's output: ``build()`` returns its objects (usually one) with the
    notifications, locations and consumed requirements that belong to them, the same on every call."""

    kind: str  # the kind of object it builds (the first of each kind is built before work is shared)
    build: Callable[[], EmitResult]
    # Where it goes among the parts of an emitter that is ``partitioned`` (see Emitter): the output of a
    # conversion split by namespace is put together by this key, which is unique and increasing in
    # ``emit_parts``' order.
    order: tuple[int, str, str] | None = None


def join_results(results: Iterable[EmitResult]) -> EmitResult:
    """The parts' results as one, in order: what ``emit`` returns when it is made of ``emit_parts``."""
    locations: dict[tuple[str, str], Sequence[str]] = {}
    joined = EmitResult(locations=locations)
    for r in results:
        joined.objects.extend(r.objects)
        joined.notifications.extend(r.notifications)
        joined.consumed.update(r.consumed)
        for key, where in r.locations.items():
            add_places(locations, key, where)
    return joined


def add_places(locations: dict[tuple[str, str], Sequence[str]], key: tuple[str, str], places: Sequence[str]) -> None:
    """Add ``places`` to what ``key`` became. The places of a key named once are kept as a tuple (the one
    that came, if it is one: no list per key, and a large output has hundreds of thousands of keys); a key
    named again gets a list of its own."""
    had = locations.get(key)
    if had is None:
        locations[key] = tuple(places)
    elif isinstance(had, list):
        had.extend(places)
    else:
        locations[key] = [*had, *places]


class Emitter(Protocol):
    name: str
    title: str
    gateway_controller: str | None
    # CRD folders under ../shared/target-crds/ this emitter's objects are checked against (tests).
    target_versions: tuple[str, ...]

    def emit(self, model: GatewayModel, options: EmitOptions) -> EmitResult: ...

    def consumes(self) -> tuple[str, ...]:
        """Requirement feature names this emitter can translate."""
        ...
