"""Names and membership of regions and municipalities, from schemas/reference (§2.2, §2.3).

Regions are effective-dated: a municipality belongs to a region if that region was in force for
it on any date of any scheme, so a region user also sees cohorts from before a reform.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from schemas.reference import (
    REFORM_2015,
    NoRegionError,
    RegionScheme,
    municipalities,
    region_of,
)

# One date inside each period of the reference data's region schemes.
_PROBE_DATES = (date(2010, 1, 1), REFORM_2015)


@cache
def _membership() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    names: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    for code in municipalities():
        for scheme in RegionScheme:
            for on in _PROBE_DATES:
                try:
                    region = region_of(code, on, scheme)
                except NoRegionError:
                    continue
                names[region.region_code] = region.region_name
                members.setdefault(region.region_code, set()).add(code)
    return names, {r: frozenset(m) for r, m in members.items()}


def names() -> dict[str, str]:
    """Region code -> region name, every scheme."""
    return _membership()[0]


def municipalities_of(region_code: str) -> frozenset[str]:
    """Municipality codes that ever belonged to the region."""
    return _membership()[1].get(region_code, frozenset())


def is_municipality(code: str) -> bool:
    """True for one of the 98 municipality codes."""
    return code in municipalities()


def label(level: str, code: str) -> str:
    """A human name for (level, code): region name, municipality name, or the code itself."""
    if level == "region":
        return names().get(code, code or "(no region)")
    if level == "municipality":
        muni = municipalities().get(code)
        return f"{muni.name} ({code})" if muni else code
    if level == "national":
        return "Danmark"
    return code
