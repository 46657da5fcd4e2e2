"""Alert rule conditions (domain.md §5.2) as clock instances read off a pathway's timeline.

A rule yields instances: a clock that starts at `since`, becomes due after `threshold` of
(possibly paused) event time, and stops at `cleared` when a later event meets the condition.
streams/alerts.py turns the instances and the event-time clock into alert states. Pure
functions of the sorted record, shared by the worker and the batch reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from streams.clock import after_working_days, local_midnight
from streams.metrics import LEFT_FOR_JOB
from streams.ruleset import Rule
from streams.timeline import Timeline, week_monday
from streams.workdays import WorkingDays


@dataclass(frozen=True)
class Instance:
    """One run of a rule's clock."""

    since: datetime
    threshold: timedelta | None  # None: this run can never become due
    cleared: datetime | None = None
    pausable: bool = False  # activation clocks pause during exemptions (A02-A05, A12)


@dataclass(frozen=True)
class Context:
    """Per-pathway facts the rules need beyond the timeline."""

    intensive: bool
    calendar: WorkingDays = field(default_factory=WorkingDays)


ACTIVITY_READY = "ACTIVITY_READY"
MATCH_2 = "MATCH_2_EFFORT_READY"
VULNERABLE_MATCH = frozenset({MATCH_2, "MATCH_3_TEMPORARILY_PASSIVE"})
FOLLOW_UP_TYPES = frozenset({"FOLLOW_UP", "WORKPLACE_FOLLOW_UP"})


def _first(times: list[datetime], after: datetime) -> datetime | None:
    return min((t for t in times if t >= after), default=None)


def _earliest(*times: datetime | None) -> datetime | None:
    return min((t for t in times if t is not None), default=None)


def a01(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A01: contact.initiated with no visitation.completed (RD-01)."""
    if not tl.contacts:
        return []
    since = min(tl.contacts)
    visit = min(tl.visitations, default=None)
    cleared = None if visit is None else max(visit, since)
    return [Instance(since, r.days("threshold_days"), cleared)]


def a03(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A03: activity-ready / match 2 citizen with no company placement by week 9."""
    if not tl.visitations or not (tl.readiness == ACTIVITY_READY or tl.match_group == MATCH_2):
        return []
    since = min(tl.visitations)
    company = [o.start for o in tl.offers if o.company]
    cleared = min(company, default=None)
    cleared = None if cleared is None else max(cleared, since)
    return [Instance(since, r.days("threshold_days"), cleared, pausable=True)]


def a04(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A04: a preparatory offer ended and no company offer started within N working days."""
    company = [o.start for o in tl.offers if o.company]
    out = []
    for o in tl.offers:
        if o.company or o.end is None or o.end_reason in LEFT_FOR_JOB:
            continue
        if any(o.start <= t <= o.end for t in company):
            continue  # the placement started while the course ran: no gap
        n = int(r.number("threshold_working_days", 3))
        deadline = after_working_days(o.end, n, ctx.calendar)
        out.append(Instance(o.end, deadline - o.end, _first(company, o.end), pausable=True))
    return out


def a05(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A05: >= 2 preparatory offers in a row, or >= 12 weeks preparatory, no company element."""
    out: list[Instance] = []
    run: list[datetime] = []
    limit, max_offers = r.days("threshold_days"), int(r.number("max_offers", 2))

    def close(cleared: datetime | None) -> None:
        if run:
            thr = limit
            if len(run) >= max_offers:
                # Due at the start of the max_offers-th offer (if before 12 weeks, unpaused).
                thr = min(limit, run[max_offers - 1] - run[0])
            out.append(Instance(run[0], thr, cleared, pausable=True))

    for o in tl.offers:
        if o.company:
            close(o.start)
            run = []
        else:
            run.append(o.start)
    close(None)
    return out


def _chain(anchors: list[datetime], threshold: Callable[[datetime], timedelta]) -> list[Instance]:
    # Each anchor restarts the clock; it is cleared by the next anchor.
    return [
        Instance(a, threshold(a), anchors[i + 1] if i + 1 < len(anchors) else None)
        for i, a in enumerate(anchors)
    ]


def a06(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A06: intensive regime and an ISO week without a held conversation (RD-09; not paused)."""
    start = _earliest(tl.trial_entry_at, min(tl.visitations, default=None))
    if not ctx.intensive or start is None:
        return []
    anchors = [start] + [t for t, _ in tl.held if t > start]
    # Due at the end of the ISO week after the anchor's week (Monday 00:00 two weeks on).
    return _chain(anchors, lambda a: local_midnight(week_monday(a) + timedelta(days=14)) - a)


def _runs(events: list[tuple[datetime, bool]], needed: int) -> list[Instance]:
    # events: (time, failed?) in order; a run of failures is due at its `needed`-th failure.
    out: list[Instance] = []
    run: list[datetime] = []
    for at, failed in events:
        if failed:
            run.append(at)
            continue
        if run:
            thr = run[needed - 1] - run[0] if len(run) >= needed else None
            out.append(Instance(run[0], thr, at))
        run = []
    if run:
        out.append(Instance(run[0], run[needed - 1] - run[0] if len(run) >= needed else None))
    return out


def a08(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A08: >= 2 consecutive no-shows, or >= 3 failed contact attempts in a row."""
    shows = sorted([(t, True) for t in tl.no_shows] + [(t, False) for t, _ in tl.held])
    tries = sorted(
        [(t, res != "REACHED") for t, res in tl.attempts] + [(t, False) for t, _ in tl.held]
    )
    out = _runs(shows, int(r.number("no_shows", 2)))
    out += _runs(tries, int(r.number("failed_attempts", 3)))
    return sorted(out, key=lambda i: i.since)


def a09(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A09: company placement without goals or a work agreement after N days (RD-26)."""
    agreements = [t for t, kind, _ in tl.plans if kind == "WORK_AGREEMENT"]
    return [
        Instance(o.start, r.days("threshold_days"), _earliest(_first(agreements, o.start), o.end))
        for o in tl.offers
        if o.company and not o.goals_agreed
    ]


def a10(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A10: in a company placement with no follow-up conversation for N days."""
    key = "intensive_threshold_days" if ctx.intensive else "threshold_days"
    thr = r.days(key, float(r.values["threshold_days"]))
    out = []
    for o in tl.offers:
        if not o.company:
            continue
        follow = [
            t for t, kind in tl.held if kind in FOLLOW_UP_TYPES and o.start < t and (
                o.end is None or t < o.end)
        ]  # fmt: skip
        chain = _chain([o.start, *follow], lambda a: thr)
        last = chain[-1]
        chain[-1] = Instance(last.since, thr, o.end)
        out += chain
    return out


def a12(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A12: a company placement ended with no successor, hours change, job hunt or exit."""
    nexts = [o.start for o in tl.offers] + [t for t, _, _ in tl.hours_changes] + tl.job_ready_at
    out = []
    for o in tl.offers:
        if not o.company or o.end is None or o.end_reason in LEFT_FOR_JOB:
            continue
        if any(p is not o and o.start < p.start <= o.end for p in tl.offers):
            continue  # the successor was already running
        after = [t for t in nexts if t > o.end]
        out.append(
            Instance(o.end, r.days("threshold_days"), min(after, default=None), pausable=True)
        )
    return out


def a13(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A13: >= 8 weeks in a company placement with no hours change, below the target hours."""
    targets = [h for _, _, h in tl.plans if h is not None]
    target = targets[-1] if targets else r.number("target_hours", 37)
    out = []
    for o in tl.offers:
        if not o.company:
            continue
        steps = [(o.start, o.hours)] + [
            (t, h) for t, oid, h in tl.hours_changes
            if oid in ("", o.offer_id) and o.start < t and (o.end is None or t < o.end)
        ]  # fmt: skip
        for i, (at, hours) in enumerate(steps):
            cleared = steps[i + 1][0] if i + 1 < len(steps) else o.end
            if hours is None or hours < target:
                out.append(Instance(at, r.days("threshold_days"), cleared))
    return out


def a15(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A15: activity-ready citizen in a company placement with no active mentor."""
    if not (tl.readiness == ACTIVITY_READY or tl.match_group in VULNERABLE_MATCH):
        return []
    out = []
    for o in tl.offers:
        if not o.company:
            continue
        if any(m.start <= o.start and (m.end is None or m.end > o.start) for m in tl.mentors):
            continue  # a mentor was already active when the placement started
        assigned = [m.start for m in tl.mentors if m.start > o.start]
        cleared = _earliest(min(assigned, default=None), o.end)
        out.append(Instance(o.start, r.days("threshold_days"), cleared))
    return out


def a18(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A18: an exemption past its review date or longer than 13 weeks."""
    out = []
    for e in tl.exemptions:
        thr = r.days("threshold_days")
        if e.review_date:
            review = local_midnight(datetime.fromisoformat(e.review_date).date())
            thr = min(thr, max(review - e.start, timedelta(0)))
        out.append(Instance(e.start, thr, e.end))
    return out


def a23(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A23: no state-changing event for N days (non-exempt: paused during exemptions)."""
    return [
        Instance(i.since, i.threshold, i.cleared, pausable=True)
        for i in _chain(tl.state_changes, lambda a: r.days("threshold_days"))
    ]


RULES: dict[str, Callable[[Timeline, Rule, Context], list[Instance]]] = {
    "A01": a01,
    "A03": a03,
    "A04": a04,
    "A05": a05,
    "A06": a06,
    "A08": a08,
    "A09": a09,
    "A10": a10,
    "A12": a12,
    "A13": a13,
    "A15": a15,
    "A18": a18,
    "A23": a23,
}

# The timeline fields each rule reads (besides the Context), so a pathway's runs of a rule are
# derived again only when an event changed one of them (streams/alerts.py `Evaluation`,
# issue 15); tests/streams/test_incremental.py checks the rules read nothing else.
READS: dict[str, frozenset[str]] = {
    rule_id: frozenset(fields)
    for rule_id, fields in {
        "A01": ("contacts", "visitations"),
        "A03": ("visitations", "readiness", "match_group", "offers"),
        "A04": ("offers",),
        "A05": ("offers",),
        "A06": ("trial_entry_at", "visitations", "held"),
        "A08": ("no_shows", "held", "attempts"),
        "A09": ("plans", "offers"),
        "A10": ("offers", "held"),
        "A12": ("offers", "hours_changes", "job_ready_at"),
        "A13": ("plans", "offers", "hours_changes"),
        "A15": ("readiness", "match_group", "offers", "mentors"),
        "A18": ("exemptions",),
        "A23": ("state_changes",),
    }.items()
}
