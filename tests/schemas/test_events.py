"""Event models: the envelope's rules and the three skeleton event types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas.events import EVENT_TYPES, ContactInitiated, OfferStarted, VisitationCompleted
from schemas.events.registry import FutureSchemaVersion, UnknownEventType, upcast
from tests.factories import contact, offer, visitation


def test_skeleton_types_are_registered() -> None:
    assert EVENT_TYPES["contact.initiated"] is ContactInitiated
    assert EVENT_TYPES["visitation.completed"] is VisitationCompleted
    assert EVENT_TYPES["offer.started"] is OfferStarted


def test_times_are_normalised_to_utc() -> None:
    ev = ContactInitiated.model_validate(contact(occurred_at="2024-03-04T10:30:00+01:00"))
    assert ev.occurred_at == datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
    assert ev.occurred_at.utcoffset() is not None


def test_naive_timestamp_is_rejected() -> None:
    with pytest.raises(ValidationError, match="occurred_at"):
        ContactInitiated.model_validate(contact(occurred_at="2024-03-04T10:30:00"))


def test_unexpected_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="note"):
        ContactInitiated.model_validate(contact(note="free text is not allowed"))


def test_events_are_frozen() -> None:
    ev = ContactInitiated.model_validate(contact())
    with pytest.raises(ValidationError):
        ev.municipality_code = "159"  # type: ignore[misc]  # frozen model: must raise


@pytest.mark.parametrize(
    ("offer_type", "expected"),
    [("COMPANY_INTERNSHIP_PUBLIC", True), ("WAGE_SUBSIDY_PRIVATE", True), ("PRE_COURSE", False)],
)
def test_company_oriented_is_derived_from_offer_type(offer_type: str, expected: bool) -> None:
    ev = OfferStarted.model_validate(offer(offer_type=offer_type))
    assert ev.is_company_oriented is expected


def test_contradicting_company_flag_is_rejected() -> None:
    with pytest.raises(ValidationError, match="contradicts"):
        OfferStarted.model_validate(offer(offer_type="PRE_COURSE", is_company_oriented=True))


def test_municipality_code_must_be_three_digits() -> None:
    with pytest.raises(ValidationError, match="municipality_code"):
        VisitationCompleted.model_validate(visitation(municipality_code="15"))


def test_cpr_in_any_field_is_rejected_without_echoing_it() -> None:
    cpr = "0101701234"
    with pytest.raises(ValidationError) as info:
        ContactInitiated.model_validate(contact(job_centre_id=cpr))
    described = str(info.value.errors(include_input=False, include_url=False))
    assert "CPR" in described
    assert cpr not in described


def test_upcast_unknown_type_and_future_version() -> None:
    with pytest.raises(UnknownEventType):
        upcast({"event_type": "nope.happened"})
    with pytest.raises(FutureSchemaVersion):
        upcast(contact(schema_version=99))
