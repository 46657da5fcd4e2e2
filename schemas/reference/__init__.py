"""Municipalities and their effective-dated employment regions (domain.md §2.2, §2.3).

The data ships as CSV next to this module (see README.md there) and is loaded once per process.
Region is always derived from municipality code and date here, never typed in by producers (§2.3).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources


class RegionScheme(StrEnum):
    """The regional structures of §2.3; which one is in force depends on the date."""

    BESKAEFTIGELSESREGION_2007_2014 = "BESKAEFTIGELSESREGION_2007_2014"
    RAR_2015 = "RAR_2015"
    AMK_2015 = "AMK_2015"


# The structure a bare "employment region" means on a date: the four employment regions until
# their abolition on 1 January 2015, the eight regional labour-market councils (RAR) after.
REFORM_2015 = date(2015, 1, 1)


class UnknownMunicipalityError(KeyError):
    """A code that is not one of the 98 municipalities."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown municipality code {self.code!r}"


class NoRegionError(LookupError):
    """No region of the requested scheme was in force for the municipality on that date."""


@dataclass(frozen=True)
class Municipality:
    """One of the 98 municipalities and its administrative region."""

    code: str
    name: str
    admin_region_code: str
    admin_region_name: str


@dataclass(frozen=True)
class Region:
    """The employment region of a municipality on a date."""

    scheme: RegionScheme
    region_code: str
    region_name: str
    admin_region_code: str
    admin_region_name: str


@dataclass(frozen=True)
class _Span:
    scheme: RegionScheme
    region_code: str
    region_name: str
    valid_from: date
    valid_to: date | None  # exclusive; None = still in force

    def holds_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def municipalities() -> dict[str, Municipality]:
    """All municipalities by code, read once from municipalities.csv."""
    return {
        row["municipality_code"]: Municipality(
            code=row["municipality_code"],
            name=row["municipality_name"],
            admin_region_code=row["admin_region_code"],
            admin_region_name=row["admin_region_name"],
        )
        for row in _rows("municipalities.csv")
    }


@cache
def _spans() -> dict[str, tuple[_Span, ...]]:
    spans: dict[str, list[_Span]] = {}
    for row in _rows("employment_regions.csv"):
        spans.setdefault(row["municipality_code"], []).append(
            _Span(
                scheme=RegionScheme(row["scheme"]),
                region_code=row["region_code"],
                region_name=row["region_name"],
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            )
        )
    return {code: tuple(items) for code, items in spans.items()}


def is_known(code: str) -> bool:
    """True if `code` is one of the 98 municipality codes."""
    return code in municipalities()


def municipality(code: str) -> Municipality:
    """The municipality with this code; raises UnknownMunicipalityError."""
    try:
        return municipalities()[code]
    except KeyError:
        raise UnknownMunicipalityError(code) from None


def default_scheme(on: date) -> RegionScheme:
    """The scheme "employment region" refers to on a date (§2.3)."""
    if on < REFORM_2015:
        return RegionScheme.BESKAEFTIGELSESREGION_2007_2014
    return RegionScheme.RAR_2015


def region_of(code: str, on: date, scheme: RegionScheme | None = None) -> Region:
    """The employment region of municipality `code` on date `on` (§2.3, §4.1 `region_code`)."""
    muni = municipality(code)
    wanted = scheme or default_scheme(on)
    for span in _spans().get(code, ()):
        if span.scheme is wanted and span.holds_on(on):
            return Region(
                scheme=span.scheme,
                region_code=span.region_code,
                region_name=span.region_name,
                admin_region_code=muni.admin_region_code,
                admin_region_name=muni.admin_region_name,
            )
    raise NoRegionError(f"no {wanted} region for municipality {code!r} on {on.isoformat()}")
