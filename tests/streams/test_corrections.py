"""Corrections (§4.1 `supersedes_event_id`, §8.12): hand-worked facts and alerts, any order."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from schemas.alerts import AlertState
from schemas.envelope import Envelope
from streams.alerts import evaluate
from streams.metrics import fact_of
from streams.record import PathwayRecord
from streams.ruleset import load
from tests.streams.builders import ev

RULES = load()
MON = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)  # Monday; Copenhagen is UTC+1 in March
DAY = timedelta(days=1)


def folded(events: list[Envelope]) -> PathwayRecord:
    """A record built event by event through the table's JSON form, as the worker does."""
    rec = PathwayRecord(events[0].pathway_id)
    for e in events:
        rec = PathwayRecord.from_dict(rec.to_dict())
        rec.add(e)
    return rec


def every_order(events: list[Envelope]) -> list[PathwayRecord]:
    return [folded(list(p)) for p in itertools.permutations(events)]


def test_a_correction_replaces_the_wrong_visitation_in_every_order() -> None:
    contact = ev("contact.initiated", MON)
    wrong = ev("visitation.completed", MON + 10 * DAY)
    fixed = ev("visitation.completed", MON + 5 * DAY, supersedes_event_id=str(wrong.event_id))
    for rec in every_order([contact, wrong, fixed]):
        f = fact_of(rec)
        # M01/M02 from the corrected date only: 5 days, within the week (RD-01).
        assert f.visitation_at == MON + 5 * DAY
        assert f.days_to_visitation == 5
        assert f.visited_within_7_days is True
        assert f.events_applied == 3  # the wrong event still counts as received (reconciliation)


def test_a_chain_of_corrections_keeps_only_the_last() -> None:
    contact = ev("contact.initiated", MON)
    a = ev("visitation.completed", MON + 12 * DAY)
    b = ev("visitation.completed", MON + 9 * DAY, supersedes_event_id=str(a.event_id))
    c = ev("visitation.completed", MON + 6 * DAY, supersedes_event_id=str(b.event_id))
    for rec in every_order([contact, a, b, c, b]):  # b delivered twice
        f = fact_of(rec)
        assert f.days_to_visitation == 6
        assert f.events_applied == 4


def test_a_correction_with_another_type_retracts_the_wrong_event() -> None:
    # A placement was registered by mistake; the correction says it was a pre-course (§4.3).
    wrong = ev("offer.started", MON + 3 * DAY, offer_id="o1")
    fixed = ev(
        "offer.started", MON + 3 * DAY, offer_id="o1", offer_type="PRE_COURSE",
        provider_type="INTERNAL", supersedes_event_id=str(wrong.event_id),
    )  # fmt: skip
    contact = ev("contact.initiated", MON)
    for rec in every_order([contact, wrong, fixed]):
        f = fact_of(rec)
        assert f.ever_company_oriented is False
        assert f.company_offers_started == 0
        assert f.first_offer_at == MON + 3 * DAY
        assert f.current_state == "PREPARATORY"


def test_a_corrected_municipality_moves_the_pathway_back() -> None:
    contact = ev("contact.initiated", MON)
    wrong = ev("visitation.completed", MON + 2 * DAY, municipality_code="101")
    fixed = ev("visitation.completed", MON + 2 * DAY, supersedes_event_id=str(wrong.event_id))
    # Same occurred_at: either may sort last by event id; the correction decides in any case.
    for rec in every_order([contact, wrong, fixed]):
        f = fact_of(rec)
        assert f.municipality_code == "751"
        assert rec.dims[1] == str(fixed.event_id)


def test_an_event_cannot_supersede_itself() -> None:
    e = ev("contact.initiated", MON)
    own = ev("visitation.completed", MON + DAY)
    selfish = own.model_copy(update={"supersedes_event_id": own.event_id})
    rec = folded([e, selfish])
    assert fact_of(rec).days_to_visitation == 1


def test_a_corrected_visitation_date_clears_the_a01_alert() -> None:
    # Contact Monday; a visitation registered on day 12 would leave A01 RESOLVED after being
    # DUE on day 7 (7-day rule, RD-01). The correction to day 3 means it was never late.
    contact = ev("contact.initiated", MON)
    wrong = ev("visitation.completed", MON + 12 * DAY)
    fixed = ev("visitation.completed", MON + 3 * DAY, supersedes_event_id=str(wrong.event_id))
    before, _ = evaluate(folded([contact, wrong]), MON + 20 * DAY, RULES)
    assert before["A01"].state is AlertState.RESOLVED
    for rec in every_order([contact, wrong, fixed]):
        views, _ = evaluate(rec, MON + 20 * DAY, RULES)
        assert "A01" not in views
