"""Working days with Danish public holidays (A04, A14): dates worked out from Easter by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streams.alerts import evaluate
from streams.clock import after_working_days
from streams.ruleset import RULES_DIR, load
from streams.workdays import WorkingDays
from tests.streams.builders import ev, record

DK = WorkingDays("DK")
DAY = timedelta(days=1)


def test_easter_based_danish_holidays_are_not_working_days() -> None:
    # Easter Sunday 2024 is 31 March: Maundy Thursday -3, Good Friday -2, Easter Monday +1,
    # Ascension +39 (9 May), Whit Monday +50 (20 May).
    days = [(3, 28), (3, 29), (4, 1), (5, 9), (5, 20), (12, 25), (12, 26)]
    for day in [date(2024, m, d) for m, d in days] + [date(2025, 1, 1)]:
        assert not DK.is_working(day), day
        assert DK.holiday_name(day)
    # Store Bededag (Easter 9 April 2023 + 26 = 5 May 2023) was abolished from 2024: Easter
    # 31 March 2024 + 26 = Friday 26 April 2024 is a working day.
    assert not DK.is_working(date(2023, 5, 5))
    assert DK.is_working(date(2024, 4, 26))
    # Constitution Day and Christmas Eve are not public holidays (only the optional category).
    assert DK.is_working(date(2024, 6, 5))
    assert DK.is_working(date(2024, 12, 24))
    assert not WorkingDays("DK", ("public", "optional")).is_working(date(2024, 12, 24))
    # Weekends, and the calendar without a country (version 1 of the rules): Mon-Fri only.
    assert not DK.is_working(date(2024, 3, 30))
    assert WorkingDays().is_working(date(2024, 3, 29))


def test_working_day_deadlines_skip_easter_and_christmas() -> None:
    # Wednesday 1 April 2026, 15:00 in Copenhagen (CEST). Easter Sunday is 5 April 2026, so
    # Thu 2, Fri 3 and Mon 6 are holidays: the 3 working days are Tue 7, Wed 8, Thu 9 and the
    # deadline is Friday 10 April 00:00 CEST = 9 April 22:00 UTC.
    wednesday = datetime(2026, 4, 1, 13, 0, tzinfo=UTC)
    assert after_working_days(wednesday, 3, DK) == datetime(2026, 4, 9, 22, 0, tzinfo=UTC)
    # Without holidays: Thu 2, Fri 3, Mon 6 -> Tuesday 7 April 00:00 CEST.
    assert after_working_days(wednesday, 3) == datetime(2026, 4, 6, 22, 0, tzinfo=UTC)
    # Friday 20 December 2024: Mon 23, Tue 24 (Christmas Eve works), Wed 25 and Thu 26 off,
    # Fri 27 -> Saturday 28 December 00:00 CET = 27 December 23:00 UTC.
    friday = datetime(2024, 12, 20, 14, 0, tzinfo=UTC)
    assert after_working_days(friday, 3, DK) == datetime(2024, 12, 27, 23, 0, tzinfo=UTC)


def test_a04_deadline_uses_the_rules_file_calendar() -> None:
    end = datetime(2026, 4, 1, 13, 0, tzinfo=UTC)
    rec = record(
        ev("offer.started", end - 28 * DAY, offer_type="PRE_COURSE", offer_id="c1"),
        ev("offer.ended", end, offer_id="c1"),
    )
    views, _ = evaluate(rec, end + 30 * DAY, load())
    assert load().version == 2
    assert views["A04"].deadline == datetime(2026, 4, 9, 22, 0, tzinfo=UTC)
    # Version 1 of the rules (kept for replays) has no calendar: Monday-Friday only.
    v1 = load(RULES_DIR / "alerts.v1.toml")
    views1, _ = evaluate(rec, end + 30 * DAY, v1)
    assert views1["A04"].deadline == datetime(2026, 4, 6, 22, 0, tzinfo=UTC)
