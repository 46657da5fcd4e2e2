"""The pathway fold is order-independent and equals the batch reference (M04)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.envelope import Envelope
from schemas.events import ContactInitiated, OfferStarted, VisitationCompleted
from streams.batch import batch_facts
from streams.state import PathwayState, calendar_days
from tests.factories import T0, contact, offer, visitation


def fold(events: list[Envelope]) -> dict[str, PathwayState]:
    states: dict[str, PathwayState] = {}
    for ev in events:
        state = states.setdefault(ev.pathway_id, PathwayState(ev.pathway_id))
        # Round-trip through the table's JSON form on every step, as the worker does.
        state = PathwayState.from_dict(state.to_dict())
        state.apply(ev)
        states[ev.pathway_id] = state
    return states


def test_calendar_days_use_danish_local_dates() -> None:
    # 23:30 UTC on 4 March is 00:30 on 5 March in Copenhagen.
    start = datetime(2024, 3, 4, 23, 30, tzinfo=UTC)
    assert calendar_days(start, datetime(2024, 3, 5, 8, 0, tzinfo=UTC)) == 0
    assert calendar_days(datetime(2024, 3, 4, 8, 0, tzinfo=UTC), start) == 1


def test_m04_counts_only_company_oriented_offers() -> None:
    events: list[Envelope] = [
        ContactInitiated.model_validate(contact(T0)),
        VisitationCompleted.model_validate(visitation(T0 + timedelta(days=3))),
        OfferStarted.model_validate(
            offer(T0 + timedelta(days=10), offer_type="PRE_COURSE", offer_id="a")
        ),
        OfferStarted.model_validate(offer(T0 + timedelta(days=57), offer_id="b")),
        OfferStarted.model_validate(offer(T0 + timedelta(days=90), offer_id="c")),
    ]
    fact = fold(events)["pw_test_0001"].fact()
    assert fact.days_to_first_company_placement == 57
    assert fact.visitation_at == T0 + timedelta(days=3)
    assert fact.events_applied == 5


def test_duplicate_event_is_not_applied_twice() -> None:
    ev = ContactInitiated.model_validate(contact())
    state = PathwayState(ev.pathway_id)
    assert state.apply(ev) is True
    assert state.apply(ev) is False
    assert state.fact().events_applied == 1


def _event(kind: int, pathway: int, day: int, muni: str) -> Envelope:
    at = T0 + timedelta(days=day, minutes=pathway)
    # The event id follows from what was drawn, so a failing example reproduces (issue 14).
    event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"prop:{kind}:{pathway}:{day}:{muni}"))
    ids = {"pathway_id": f"pw_prop_{pathway:04d}", "municipality_code": muni, "event_id": event_id}
    if kind == 0:
        return ContactInitiated.model_validate(contact(at, **ids))
    if kind == 1:
        return VisitationCompleted.model_validate(visitation(at, **ids))
    offer_type = "PRE_COURSE" if kind == 2 else "COMPANY_CENTRE_INTERNSHIP"
    return OfferStarted.model_validate(offer(at, offer_type=offer_type, **ids))


events_strategy = st.lists(
    st.builds(
        _event,
        st.integers(0, 3),
        st.integers(0, 4),
        st.integers(0, 200),
        st.sampled_from(["153", "159", "751"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(events=events_strategy, data=st.data())
def test_fold_equals_batch_under_permutation_duplication_and_delay(
    events: list[Envelope], data: st.DataObject
) -> None:
    expected = batch_facts(events)
    duplicated = events + data.draw(st.lists(st.sampled_from(events), max_size=10))
    shuffled = data.draw(st.permutations(duplicated))
    got = {pid: state.fact() for pid, state in fold(list(shuffled)).items()}
    assert got == expected


def test_region_follows_the_structure_in_force_on_the_latest_event() -> None:
    # Brøndby (153): employment region before 2015, RAR from 2015 (domain.md §2.3).
    old = ContactInitiated.model_validate(contact(datetime(2014, 6, 2, 9, tzinfo=UTC)))
    new = VisitationCompleted.model_validate(visitation(datetime(2015, 3, 2, 9, tzinfo=UTC)))
    state = PathwayState(pathway_id=old.pathway_id)
    state.apply(old)
    before = state.fact().region_code
    state.apply(new)
    after = state.fact().region_code
    assert before.startswith("BR")
    assert after.startswith("RAR")
    assert before != after
    assert batch_facts([new, old])[old.pathway_id] == state.fact()
