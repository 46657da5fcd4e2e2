"""Per-pathway state as an order-independent fold over the pathway's events.

Every field is a minimum by event time, or the latest by (event time, event id), and events
are deduplicated by event_id: any arrival order, duplication or delay of the same set of events
gives the same state as a recomputation from the full history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from schemas.envelope import Envelope
from schemas.events import ContactInitiated, OfferStarted, VisitationCompleted
from schemas.facts import PathwayFact
from schemas.reference import region_of

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def _min(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate < current else current


def calendar_days(start: datetime, end: datetime) -> int:
    """Whole calendar days between two instants, counted on Danish local dates (RD-01)."""
    return (end.astimezone(LOCAL_TZ).date() - start.astimezone(LOCAL_TZ).date()).days


def region_code_for(municipality_code: str, at: datetime | None) -> str:
    """Employment region of the municipality on the Danish local date of `at` (§2.3, §4.1)."""
    if not municipality_code or at is None:
        return ""
    return region_of(municipality_code, at.astimezone(LOCAL_TZ).date()).region_code


@dataclass
class PathwayState:
    """What the worker keeps per pathway."""

    pathway_id: str
    citizen_id: str = ""
    municipality_code: str = ""
    job_centre_id: str = ""
    dims_key: tuple[str, str] = ("", "")  # (occurred_at ISO, event_id) of the dims' source
    contact_at: datetime | None = None
    visitation_at: datetime | None = None
    first_company_placement_at: datetime | None = None
    event_ids: set[str] = field(default_factory=set)

    def apply(self, event: Envelope) -> bool:
        """Fold one event in; False if it was already applied (duplicate event_id)."""
        event_id = str(event.event_id)
        if event_id in self.event_ids:
            return False
        self.event_ids.add(event_id)
        key = (event.occurred_at.isoformat(), event_id)
        if key > self.dims_key:
            # Dimensions follow the latest event by event time (a case may move municipality).
            self.dims_key = key
            self.citizen_id = event.citizen_id
            self.municipality_code = event.municipality_code
            self.job_centre_id = event.job_centre_id
        if isinstance(event, ContactInitiated):
            self.contact_at = _min(self.contact_at, event.occurred_at)
        elif isinstance(event, VisitationCompleted):
            self.visitation_at = _min(self.visitation_at, event.occurred_at)
        elif isinstance(event, OfferStarted) and event.is_company_oriented:
            self.first_company_placement_at = _min(
                self.first_company_placement_at, event.occurred_at
            )
        return True

    def fact(self) -> PathwayFact:
        """The pathway's facts as of the events applied so far."""
        days = None
        if self.contact_at is not None and self.first_company_placement_at is not None:
            days = calendar_days(self.contact_at, self.first_company_placement_at)
        return PathwayFact(
            pathway_id=self.pathway_id,
            citizen_id=self.citizen_id,
            municipality_code=self.municipality_code,
            # Region as of the latest event, the same event the other dimensions follow.
            region_code=region_code_for(
                self.municipality_code,
                datetime.fromisoformat(self.dims_key[0]) if self.dims_key[0] else None,
            ),
            job_centre_id=self.job_centre_id,
            entry_at=self.contact_at,
            visitation_at=self.visitation_at,
            first_company_placement_at=self.first_company_placement_at,
            days_to_first_company_placement=days,
            events_applied=len(self.event_ids),
            version=len(self.event_ids),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the Faust table (and its changelog)."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "pathway_id": self.pathway_id,
            "citizen_id": self.citizen_id,
            "municipality_code": self.municipality_code,
            "job_centre_id": self.job_centre_id,
            "dims_key": list(self.dims_key),
            "contact_at": iso(self.contact_at),
            "visitation_at": iso(self.visitation_at),
            "first_company_placement_at": iso(self.first_company_placement_at),
            "event_ids": sorted(self.event_ids),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathwayState:
        """Inverse of `to_dict`."""

        def parse(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            pathway_id=data["pathway_id"],
            citizen_id=data["citizen_id"],
            municipality_code=data["municipality_code"],
            job_centre_id=data["job_centre_id"],
            dims_key=(data["dims_key"][0], data["dims_key"][1]),
            contact_at=parse(data["contact_at"]),
            visitation_at=parse(data["visitation_at"]),
            first_company_placement_at=parse(data["first_company_placement_at"]),
            event_ids=set(data["event_ids"]),
        )


def batch_facts(events: list[Envelope]) -> dict[str, PathwayFact]:
    """Batch reference: facts per pathway from a complete event log (no streaming machinery)."""
    # Deliberately not PathwayState: recompute each fact from the deduplicated full history.
    by_pathway: dict[str, dict[str, Envelope]] = {}
    for ev in events:
        by_pathway.setdefault(ev.pathway_id, {})[str(ev.event_id)] = ev
    out: dict[str, PathwayFact] = {}
    for pid, unique in by_pathway.items():
        evs = list(unique.values())
        latest = max(evs, key=lambda e: (e.occurred_at.isoformat(), str(e.event_id)))
        contacts = [e.occurred_at for e in evs if isinstance(e, ContactInitiated)]
        visits = [e.occurred_at for e in evs if isinstance(e, VisitationCompleted)]
        placements = [
            e.occurred_at for e in evs if isinstance(e, OfferStarted) and e.is_company_oriented
        ]
        contact = min(contacts, default=None)
        placement = min(placements, default=None)
        out[pid] = PathwayFact(
            pathway_id=pid,
            citizen_id=latest.citizen_id,
            municipality_code=latest.municipality_code,
            region_code=region_code_for(latest.municipality_code, latest.occurred_at),
            job_centre_id=latest.job_centre_id,
            entry_at=contact,
            visitation_at=min(visits, default=None),
            first_company_placement_at=placement,
            days_to_first_company_placement=(
                calendar_days(contact, placement) if contact and placement else None
            ),
            events_applied=len(evs),
            version=len(evs),
        )
    return out
