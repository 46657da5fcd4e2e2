"""A pathway's deduplicated event record: the only state facts and alerts are computed from.

Each event is reduced to a small item (event time, event id, event type and the few payload
fields a metric or alert rule reads, domain.md §4.2). Items are keyed by event_id, so a
duplicate delivery changes nothing, and every computation sorts them by (occurred_at, event_id),
so arrival order cannot matter: the streaming fold and the batch reference (streams/batch.py)
see the same sorted record for the same set of events.

Corrections (§4.1 `supersedes_event_id`, §8.12 rectification): an event that names another in
`supersedes_event_id` takes that event out of every computation and counts in its place (the
correction carries the corrected content). An event is out as soon as any event of the record
supersedes it, whichever arrived first, so chains (C supersedes B supersedes A: only C counts)
and duplicates converge to the same result in any order. Superseded events stay in the record,
so a late correction of a correction still finds its target and the counts reconcile.
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
    "plan.created": (
        "plan_type", "ordinary_hours_target", "conversation_regime", "company_element_included",
    ),
    "plan.updated": (
        "plan_type", "ordinary_hours_target", "conversation_regime", "company_element_included",
    ),
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
    "referral.made": ("referral_id", "to_unit"),
    "referral.accepted": ("referral_id",),
    "placement.review": ("offer_id",),
    "resource_pathway.started": ("company_element_in_plan",),
    "case.handed_over": ("handover_reason",),
}  # fmt: skip


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
    if event.supersedes_event_id is not None and str(event.supersedes_event_id) != item["id"]:
        item["s"] = str(event.supersedes_event_id)  # an event cannot supersede itself
    return item


def time_of(item: Item) -> datetime:
    """The item's event time."""
    return datetime.fromisoformat(item["t"])


def sort_key(item: Item) -> tuple[str, str]:
    """(occurred_at, event_id): UTC ISO strings of one format sort like the instants."""
    return (item["t"], item["id"])


def _dimset(event: Envelope) -> list[str]:
    return [event.citizen_id, event.municipality_code, event.job_centre_id, str(event.programme_id)]


@dataclass
class PathwayRecord:
    """Deduplicated items plus the dimensions of the latest effective event (time, event id)."""

    pathway_id: str
    items: dict[str, Item] = field(default_factory=dict)
    # [occurred_at, event_id, citizen_id, municipality_code, job_centre_id, programme_id]
    dims: list[str] = field(default_factory=lambda: ["", "", "", "", "", "NONE"])
    # Distinct [citizen_id, municipality_code, job_centre_id, programme_id] of the events; an
    # item names its own by index "d" (absent = 0), so a correction can restore older dims.
    dimsets: list[list[str]] = field(default_factory=list)
    _superseded: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    # Sort key of the latest effective item ((), none yet); None: not known since a correction.
    _tail: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)
    # The item the last `add` put after every effective item (the usual case, live and in a
    # replay), so a timeline can be extended by it instead of rebuilt; None otherwise.
    appended: Item | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._superseded = {it["s"] for it in self.items.values() if "s" in it}
        if not self.items:
            self._tail = ()

    def add(self, event: Envelope, offset: int | None = None) -> bool:
        """Add one event; False if its event_id is already in the record.

        `offset` is the event's offset on its events partition (the worker passes it): the item
        keeps it as "o", so a redelivery after a crash can tell the event's own first delivery
        (same offset) from a true duplicate (another offset) when it counts (issue 14).
        """
        event_id = str(event.event_id)
        self.appended = None
        if event_id in self.items:
            return False
        item = item_of(event)
        if offset is not None:
            item["o"] = offset
        dimset = _dimset(event)
        if dimset not in self.dimsets:
            self.dimsets.append(dimset)
        index = self.dimsets.index(dimset)
        if index:
            item["d"] = index
        target = item.get("s")
        effective = target is None and event_id not in self._superseded
        if effective and (item["t"], event_id) > self._tail_key():
            self._tail, self.appended = (item["t"], event_id), item
        self.items[event_id] = item
        if target is not None:
            self._superseded.add(target)
            self._tail = None  # the correction's target may have been the latest item
        if event_id not in self._superseded and (item["t"], event_id) > tuple(self.dims[:2]):
            # Dimensions follow the latest event by event time (a case may move municipality).
            self.dims = [item["t"], event_id, *dimset]
        if target is not None and target == self.dims[1]:
            self._latest_dims()  # the latest event was corrected: the next latest decides
        return True

    def _tail_key(self) -> tuple[str, ...]:
        if self._tail is None:
            effective = self.sorted_items()
            self._tail = sort_key(effective[-1]) if effective else ()
        return self._tail

    def offset_of(self, event_id: str) -> int | None:
        """The offset the event was first added at, if the worker gave one."""
        item = self.items.get(event_id)
        return None if item is None else item.get("o")

    def _latest_dims(self) -> None:
        effective = self.sorted_items()
        if not effective:  # every event superseded (a cycle): no dimensions, as before any event
            self.dims = PathwayRecord(self.pathway_id).dims
            return
        last = effective[-1]
        self.dims = [last["t"], last["id"], *self.dimsets[last.get("d", 0)]]

    def sorted_items(self) -> list[Item]:
        """The effective items (none superseded) in (occurred_at, event_id) order."""
        sup = self._superseded
        return sorted((it for it in self.items.values() if it["id"] not in sup), key=sort_key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the Faust table and its changelog (superseded items included)."""
        return {
            "pathway_id": self.pathway_id,
            "dims": self.dims,
            "dimsets": self.dimsets,
            "items": list(self.items.values()),  # in arrival order: from_dict keys them by id
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathwayRecord:
        """Inverse of `to_dict` (a record written before `dimsets` existed has one dimset)."""
        items = {it["id"]: it for it in data["items"]}
        dims = list(data["dims"])
        dimsets = [list(d) for d in data.get("dimsets", [dims[2:]])]
        return cls(pathway_id=data["pathway_id"], items=items, dims=dims, dimsets=dimsets)
