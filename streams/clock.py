"""Event-time arithmetic for alert clocks: pauses (exemptions, §5.2 notes), working days.

Working days are Monday-Friday minus the public holidays of the rules file's calendar
(streams/workdays.py).

The alert clock itself is `highest event time seen on the partition - allowed lateness`
(RuleSet.allowed_lateness); these helpers turn a rule's "since" and threshold into the event
times at which it is warned, due and overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from streams.timeline import LOCAL_TZ, Interval, local_date
from streams.workdays import WorkingDays

ZERO = timedelta(0)


def local_midnight(day: date) -> datetime:
    """00:00 Copenhagen time on `day`, as a UTC instant."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def after_working_days(at: datetime, n: int, calendar: WorkingDays | None = None) -> datetime:
    """The end (next local midnight) of the n-th working day after `at`'s Danish date."""
    cal = calendar or WorkingDays()  # no calendar: Monday-Friday
    day, left = local_date(at), n
    while left > 0:
        day += timedelta(days=1)
        if cal.is_working(day):
            left -= 1
    return local_midnight(day + timedelta(days=1))


def elapsed(since: datetime, until: datetime, pauses: Sequence[Interval]) -> timedelta:
    """Event time from `since` to `until`, minus the parts covered by pause intervals."""
    if until <= since:
        return ZERO
    total = until - since
    for iv in pauses:
        start = max(iv.start, since)
        end = until if iv.end is None else min(iv.end, until)
        if end > start:
            total -= end - start
    return max(total, ZERO)


def time_at(since: datetime, amount: timedelta, pauses: Sequence[Interval]) -> datetime | None:
    """Earliest event time at which `elapsed(since, t)` reaches `amount`; None while paused.

    Pauses must not overlap each other (merge_pauses).
    """
    cur, left = since, amount
    for iv in pauses:
        if iv.end is not None and iv.end <= cur:
            continue
        gap = max(iv.start - cur, ZERO)
        if gap >= left:
            return cur + left
        left -= gap
        if iv.end is None:
            return None  # an open exemption holds the clock until it ends
        cur = max(cur, iv.end)
    return cur + left


def merge_pauses(intervals: Sequence[Interval]) -> list[Interval]:
    """Overlapping exemption intervals merged, in start order."""
    out: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: i.start):
        if out and (out[-1].end is None or iv.start <= out[-1].end):
            last = out[-1]
            if last.end is not None and (iv.end is None or iv.end > last.end):
                out[-1] = Interval(last.start, iv.end)
            continue
        out.append(Interval(iv.start, iv.end))
    return out
