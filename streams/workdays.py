"""Working days for alert deadlines: Monday-Friday minus a country's public holidays (§5.2).

The rules file names the calendar (`calendar`, `holiday_categories` in
streams/rules/alerts.v2.toml), so a replay evaluates the same working days as the original run.
Holidays come from the `holidays` package (Danish helligdage: New Year's Day, Maundy Thursday,
Good Friday, Easter Sunday and Monday, Store Bededag until 2023, Ascension Day, Whit Sunday and
Monday, Christmas Day and Boxing Day); the optional days (5 June, 24 and 31 December, 1 May) are
working days unless the rules file adds the `optional` category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import holidays


@cache
def _holidays(country: str, categories: tuple[str, ...]) -> holidays.HolidayBase:
    # Years are filled in lazily on the first lookup of a date in them.
    return holidays.country_holidays(country, categories=categories)


@dataclass(frozen=True)
class WorkingDays:
    """A working-day calendar; country "" means Monday-Friday with no holidays."""

    country: str = ""
    categories: tuple[str, ...] = ("public",)

    def is_working(self, day: date) -> bool:
        """Monday-Friday and not a holiday of the calendar."""
        if day.weekday() >= 5:
            return False
        return not self.country or day not in _holidays(self.country, self.categories)

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name on `day`, if it is one."""
        if not self.country:
            return None
        name = _holidays(self.country, self.categories).get(day)
        return None if name is None else str(name)
