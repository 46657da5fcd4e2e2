"""A pathway's deduplicated event record: the only state facts and alerts are computed from.

Each event is reduced to a small item (event time, event id, event type and the few payload
fields a metric or alert rule reads, domain.md §4.2). Items are keyed by event_id, so a
duplicate delivery changes nothing, and every computation sorts them by (occurred_at, event_id),
so arrival order cannot matter: the streaming fold and the batch reference (streams/batch.py)
see the same sorted record for the same set of events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from schemas.envelope import Envelope

Item = dict[str, Any]

# Payload fields kept per event type (§4.2 names). Everything else stays out of the table.
FIELDS: dict[str, tuple[str, ...]] = {
    "contact.initiated": ("age_band",),
    "visitation.completed": ("readiness", "match_group"),
    "readiness.changed": ("to",),
    "match.changed": ("to",),
    "trial.randomised": ("arm",),
    "plan.created": ("plan_type", "ordinary_hours_target", "conversation_regime"),
    "plan.updated": ("plan_type", "ordinary_hours_target", "conversation_regime"),
    "offer.started": ("offer_id", "offer_type", "hours_per_week", "goals_agreed"),
    "offer.extended": ("offer_id",),
    "offer.ended": ("offer_id", "end_reason", "actual_weeks"),
    "placement.hours_changed": ("offer_id", "new_hours"),
    "conversation.held": ("conversation_type",),
    "contact.attempted": ("result",),
    "mentor.assigned": ("mentor_assignment_id", "linked_offer_id"),
    "mentor.ended": ("mentor_assignment_id",),
    "parallel_effort.started": ("effort_id", "effort_type"),
    "parallel_effort.ended": ("effort_id", "effort_type"),
    "exemption.started": ("exemption_id", "exempt_from", "review_date"),
    "exemption.ended": ("exemption_id", "exempt_from"),
    "benefit.changed": ("to_benefit",),
    "pathway.exited": ("outcome",),
}


def item_of(event: Envelope) -> Item:
    """The compact item of one validated event."""
    kind = str(getattr(event, "event_type", ""))
    item: Item = {
        "t": event.occurred_at.astimezone(UTC).isoformat(),
        "id": str(event.event_id),
        "k": kind,
    }
    wanted = FIELDS.get(kind, ())
    if wanted:
        # by_alias: E3's readiness.changed carries `from`/`to`, Python-safe names in the model.
        body = event.model_dump(mode="json", by_alias=True, exclude_none=True)
        for name in wanted:
            if name not in body:
                alt = f"{name}_"  # a model may name `to` as `to_` without an alias
                if alt in body:
                    item[name] = body[alt]
                continue
            item[name] = body[name]
    if event.trial_arm is not None:
        item["a"] = str(event.trial_arm)
    if event.correlation_id is not None:
        item["c"] = event.correlation_id
    return item


def time_of(item: Item) -> datetime:
    """The item's event time."""
    return datetime.fromisoformat(item["t"])


def sort_key(item: Item) -> tuple[str, str]:
    """(occurred_at, event_id): UTC ISO strings of one format sort like the instants."""
    return (item["t"], item["id"])


@dataclass
class PathwayRecord:
    """Deduplicated items plus the dimensions of the latest event (by event time, event id)."""

    pathway_id: str
    items: dict[str, Item] = field(default_factory=dict)
    # [occurred_at, event_id, citizen_id, municipality_code, job_centre_id, programme_id]
    dims: list[str] = field(default_factory=lambda: ["", "", "", "", "", "NONE"])

    def add(self, event: Envelope) -> bool:
        """Add one event; False if its event_id is already in the record."""
        event_id = str(event.event_id)
        if event_id in self.items:
            return False
        item = item_of(event)
        self.items[event_id] = item
        if (item["t"], event_id) > (self.dims[0], self.dims[1]):
            # Dimensions follow the latest event by event time (a case may move municipality).
            self.dims = [
                item["t"],
                event_id,
                event.citizen_id,
                event.municipality_code,
                event.job_centre_id,
                str(event.programme_id),
            ]
        return True

    def sorted_items(self) -> list[Item]:
        """Items in (occurred_at, event_id) order."""
        return sorted(self.items.values(), key=sort_key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the Faust table and its changelog."""
        return {"pathway_id": self.pathway_id, "dims": self.dims, "items": self.sorted_items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathwayRecord:
        """Inverse of `to_dict`."""
        items = {it["id"]: it for it in data["items"]}
        return cls(pathway_id=data["pathway_id"], items=items, dims=list(data["dims"]))
