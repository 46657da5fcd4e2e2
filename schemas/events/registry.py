"""Registry of event types and their upcasters: the one place that knows every type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from schemas.envelope import Envelope

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

E = TypeVar("E", bound=type[Envelope])

EVENT_TYPES: dict[str, type[Envelope]] = {}
# (event_type, from_version) -> function lifting a payload to from_version + 1
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def event_type_of(cls: type[Envelope]) -> str:
    """The `event_type` literal a model class declares."""
    field = cls.model_fields["event_type"]
    value = field.default
    if not isinstance(value, str):
        raise TypeError(f"{cls.__name__} must give event_type a string default")
    return value


def register(cls: E) -> E:
    """Class decorator: make an event type known to decoding, docs and JSON Schema export."""
    name = event_type_of(cls)
    if name in EVENT_TYPES and EVENT_TYPES[name] is not cls:
        raise ValueError(f"event type {name!r} is registered twice")
    EVENT_TYPES[name] = cls
    return cls


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Decorator: register a pure function lifting `event_type` payloads from `from_version`."""

    def wrap(fn: Upcaster) -> Upcaster:
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return wrap


class UnknownEventType(LookupError):
    """The payload names an event type nobody registered."""


class FutureSchemaVersion(ValueError):
    """The payload carries a schema version newer than this code understands."""


def upcast(payload: Payload) -> tuple[type[Envelope], Payload]:
    """Find the model for a raw payload and lift it to the model's current version."""
    name = payload.get("event_type")
    if not isinstance(name, str) or name not in EVENT_TYPES:
        raise UnknownEventType(f"unknown event_type {name!r}")
    cls = EVENT_TYPES[name]
    version = payload.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return cls, payload  # let validation report the bad version field
    if version > cls.SCHEMA_VERSION:
        raise FutureSchemaVersion(
            f"{name} schema_version {version} is newer than supported ({cls.SCHEMA_VERSION})"
        )
    while version < cls.SCHEMA_VERSION:
        step = UPCASTERS.get((name, version))
        if step is None:
            raise FutureSchemaVersion(f"no upcaster for {name} from version {version}")
        payload = step(dict(payload))
        version += 1
        payload["schema_version"] = version
    return cls, payload
