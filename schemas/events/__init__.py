"""Event models. Importing this package registers every event type."""

from schemas.envelope import Envelope
from schemas.events.intake import ContactInitiated, VisitationCompleted
from schemas.events.offers import OfferStarted
from schemas.events.registry import EVENT_TYPES, upcast

Event = Envelope
"""Any registered pathway event (all share the envelope)."""

__all__ = [
    "EVENT_TYPES",
    "ContactInitiated",
    "Envelope",
    "Event",
    "OfferStarted",
    "VisitationCompleted",
    "upcast",
]
