"""Simulator event logs decoded to typed events, and a streaming-path driver for the tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from producers.simulator import Options, Rates, load, stream
from schemas.alerts import Alert
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from streams.alerts import AlertView
from streams.processor import Processor, view_of
from streams.ruleset import RuleSet
from streams.ruleset import load as load_rules

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@cache
def simulated(
    scenario: str, pathways: int, seed: int = 1, corrections: float = 0.0
) -> tuple[Envelope, ...]:
    """Every event of a simulator run (only corrections as faults), decoded like the worker does."""
    out = []
    options = Options(scenario, seed=seed, pathways=pathways, rates=Rates(correction=corrections))
    for offset, msg in enumerate(stream(load(), options)):
        ev = decode(msg.value, Coordinates("sim", 0, offset), NOW)
        assert isinstance(ev, Envelope), ev
        out.append(ev)
    return tuple(out)


class JsonTable(dict[str, Any]):
    """A dict that stores what a Faust table's changelog would give back (JSON round trip)."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, json.loads(json.dumps(value)))


class Streamed:
    """The final fact per pathway and the final alert per key the streaming path emitted."""

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self.table = JsonTable()
        self.processor = Processor(self.table, ruleset or load_rules())
        self.facts: dict[str, PathwayFact] = {}
        self.alerts: dict[str, Alert] = {}
        self.history: list[Alert] = []

    def feed(self, events: Iterable[Envelope], partition_of: Any = lambda _pid: 0) -> Streamed:
        """Process events in the given order."""
        for ev in events:
            out = self.processor.on_event(ev, partition_of(ev.pathway_id))
            for fact in out.facts:
                self.facts[fact.pathway_id] = fact
            for alert in out.alerts:
                self.alerts[alert.alert_key] = alert
                self.history.append(alert)
        return self

    def views(self) -> dict[str, AlertView]:
        """The last emitted alert per key, without its version."""
        return {k: view_of(a.model_dump(mode="json")) for k, a in self.alerts.items()}


CASEWORK_UNITS = ("COMPANY_CONSULTANT", "COURSE", "REHAB_TEAM")


def with_casework(events: tuple[Envelope, ...]) -> tuple[Envelope, ...]:
    """The log plus referrals, case handovers and exemptions (the simulator sends none).

    Pathway i (in pathway-id order) with a visitation at v gets `referral.made` to
    CASEWORK_UNITS[i % 3] one hour after v, accepted 4 * (i % 5) days after v for even i, and a
    `case.handed_over` ten days after v, for a staff reason when i is odd (A14, A22). Every
    third pathway is exempted from activation from day 20 after v (review date 30 days later),
    ending 14 * (i % 4) days later, or never when i % 4 == 0 (pauses, A18).
    """
    import uuid

    from schemas.events import EVENT_TYPES

    first: dict[str, Envelope] = {}
    for e in sorted(events, key=lambda e: (e.occurred_at, str(e.event_id))):
        if getattr(e, "event_type", "") == "visitation.completed" and not e.supersedes_event_id:
            first.setdefault(e.pathway_id, e)
    keep = set(Envelope.model_fields) - {"supersedes_event_id", "causation_id", "correlation_id"}
    extra: list[Envelope] = []

    def add(v: Envelope, kind: str, at: datetime, **payload: Any) -> None:
        cls = EVENT_TYPES[kind]
        body = {k: val for k, val in v.model_dump(mode="json").items() if k in keep}
        body.update(payload, event_type=kind, schema_version=cls.SCHEMA_VERSION)
        body["event_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{v.pathway_id}:{kind}"))
        body["occurred_at"] = body["recorded_at"] = at.isoformat()
        extra.append(cls.model_validate(body))

    for i, pid in enumerate(sorted(first)):
        v = first[pid]
        unit, rid = CASEWORK_UNITS[i % 3], f"ref_{i}"
        add(v, "referral.made", v.occurred_at + timedelta(hours=1), referral_id=rid,
            from_unit="CASEWORKER", to_unit=unit)  # fmt: skip
        if i % 2 == 0:
            accepted = v.occurred_at + timedelta(days=4 * (i % 5), hours=2)
            add(v, "referral.accepted", accepted, referral_id=rid, to_unit=unit)
        reason = "STAFF_SICKNESS" if i % 2 else "REORGANISATION"
        add(v, "case.handed_over", v.occurred_at + timedelta(days=10), role="CASEWORKER",
            staff_id=f"staff_{i:06d}", handover_reason=reason)  # fmt: skip
        if i % 3 == 0:
            start = v.occurred_at + timedelta(days=20)
            review = (start + timedelta(days=30)).date().isoformat()
            add(v, "exemption.started", start, exemption_id=f"ex_{i}", reason="ILLNESS",
                exempt_from="ACTIVATION", review_date=review, sensitivity="HEALTH")  # fmt: skip
            if i % 4:
                end = start + timedelta(days=14 * (i % 4))
                add(v, "exemption.ended", end, exemption_id=f"ex_{i}", reason="ILLNESS",
                    exempt_from="ACTIVATION", sensitivity="HEALTH")  # fmt: skip
    return events + tuple(extra)
