"""The 98 municipalities and their effective-dated employment regions (§2.2, §2.3)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from schemas import reference
from schemas.deadletter import DeadLetter, Reason
from schemas.decode import Coordinates, decode
from schemas.events import ContactInitiated
from schemas.reference import RegionScheme
from tests.factories import T0, contact

DATES = [
    date(2007, 1, 1),
    date(2010, 11, 1),
    date(2014, 12, 31),
    date(2015, 1, 1),
    date(2024, 3, 4),
]


def test_ninety_eight_unique_municipalities_in_five_regions() -> None:
    munis = reference.municipalities()
    assert len(munis) == 98
    assert all(len(code) == 3 and code.isdigit() for code in munis)
    assert len({m.name for m in munis.values()}) == 98
    by_region = Counter(m.admin_region_code for m in munis.values())
    assert by_region == {"1084": 29, "1085": 17, "1083": 22, "1082": 19, "1081": 11}


@pytest.mark.parametrize(
    ("code", "name", "admin"),
    [
        ("101", "København", "1084"),
        ("153", "Brøndby", "1084"),
        ("851", "Aalborg", "1081"),
        ("573", "Varde", "1083"),
        ("751", "Aarhus", "1082"),
        ("326", "Kalundborg", "1085"),
    ],
)
def test_known_codes(code: str, name: str, admin: str) -> None:
    muni = reference.municipality(code)
    assert (muni.name, muni.admin_region_code) == (name, admin)
    assert reference.is_known(code)


@pytest.mark.parametrize("code", ["999", "411", "000", "15", ""])
def test_unknown_codes(code: str) -> None:
    assert not reference.is_known(code)
    with pytest.raises(reference.UnknownMunicipalityError, match="unknown municipality code"):
        reference.municipality(code)


@pytest.mark.parametrize("on", DATES)
def test_every_code_resolves(on: date) -> None:
    for code in reference.municipalities():
        region = reference.region_of(code, on)
        assert region.scheme is reference.default_scheme(on)
        assert region.admin_region_code == reference.municipality(code).admin_region_code
        for scheme in RegionScheme:
            if (scheme is RegionScheme.BESKAEFTIGELSESREGION_2007_2014) == (on < date(2015, 1, 1)):
                assert reference.region_of(code, on, scheme).scheme is scheme


def test_region_counts_per_scheme() -> None:
    def regions(on: date, scheme: RegionScheme | None = None) -> set[str]:
        return {reference.region_of(c, on, scheme).region_code for c in reference.municipalities()}

    assert len(regions(date(2012, 6, 1))) == 4  # "the four employment regions" [003]
    assert len(regions(date(2016, 9, 1))) == 8  # 8 RAR
    assert len(regions(date(2016, 9, 1), RegionScheme.AMK_2015)) == 3


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("153", "BR_HS", "RAR_HOVEDSTADEN"),  # Brøndby [000]
        ("326", "BR_HS", "RAR_SJAELLAND"),  # Kalundborg [000]
        ("400", "BR_HS", "RAR_BORNHOLM"),
        ("450", "BR_SD", "RAR_FYN"),  # Nyborg [003]
        ("573", "BR_SD", "RAR_SYDJYLLAND"),  # Varde [004]
        ("657", "BR_MJ", "RAR_VESTJYLLAND"),  # Herning [003]
        ("751", "BR_MJ", "RAR_OESTJYLLAND"),  # Aarhus [002]
        ("849", "BR_NJ", "RAR_NORDJYLLAND"),  # Jammerbugt [003]
    ],
)
def test_region_changes_at_the_2015_boundary(code: str, before: str, after: str) -> None:
    boundary = date(2015, 1, 1)
    assert reference.region_of(code, boundary - timedelta(days=1)).region_code == before
    assert reference.region_of(code, boundary).region_code == after


def test_no_region_before_2007_or_for_a_scheme_not_in_force() -> None:
    with pytest.raises(reference.NoRegionError):
        reference.region_of("153", date(2006, 12, 31))
    with pytest.raises(reference.NoRegionError):
        reference.region_of("153", date(2012, 1, 1), RegionScheme.RAR_2015)
    with pytest.raises(reference.UnknownMunicipalityError):
        reference.region_of("999", date(2012, 1, 1))


def test_envelope_rejects_unknown_code() -> None:
    with pytest.raises(ValidationError, match="unknown municipality code '999'"):
        ContactInitiated.model_validate(contact(municipality_code="999"))


def test_unknown_code_becomes_its_own_dead_letter() -> None:
    raw = json.dumps(contact(municipality_code="999")).encode()
    result = decode(raw, Coordinates("t", 0, 7), T0 + timedelta(days=1))
    assert isinstance(result, DeadLetter)
    assert result.reason is Reason.UNKNOWN_MUNICIPALITY
    assert "unknown municipality code '999'" in result.detail


def test_unknown_code_plus_another_error_is_a_validation_error() -> None:
    raw = json.dumps(contact(municipality_code="999", channel=5)).encode()
    result = decode(raw, Coordinates("t", 0, 7), T0 + timedelta(days=1))
    assert isinstance(result, DeadLetter)
    assert result.reason is Reason.VALIDATION_ERROR
