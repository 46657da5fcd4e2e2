"""Alert states on the event-time clock: WARNING -> DUE -> OVERDUE, or RESOLVED (§5.2).

`evaluate(record, clock, ruleset)` is a pure function of the pathway's deduplicated record and
the clock (highest event time seen on the partition minus the allowed lateness). It also says
when, on that clock, the next state change is due, so the worker knows when to look again
without a new event for the pathway. The batch reference calls the same function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from schemas.alerts import Alert, AlertState
from schemas.facts import PathwayFact
from streams.clock import ZERO, elapsed, merge_pauses, time_at
from streams.record import PathwayRecord
from streams.rules import Context, Instance
from streams.rules_v2 import READS, RULES
from streams.ruleset import Rule, RuleSet
from streams.timeline import Interval, Timeline, build


@dataclass(frozen=True)
class AlertView:
    """One rule's state for one pathway, without the per-emission version."""

    rule_id: str
    state: AlertState
    since: datetime
    deadline: datetime | None
    state_since: datetime


def _bounds(rule: Rule, threshold: timedelta) -> list[tuple[AlertState, timedelta]]:
    hit = rule.bounds.get(threshold)
    if hit is not None:  # the same few thresholds on every evaluation
        return hit
    warn, grace = rule.days("warn_days"), rule.days("grace_days")
    out = []
    if warn > ZERO:
        out.append((AlertState.WARNING, max(threshold - warn, ZERO)))
    out.append((AlertState.DUE, threshold))
    out.append((AlertState.OVERDUE, threshold + grace))
    rule.bounds[threshold] = out
    return out


def _level(rule: Rule, inst: Instance, spent: timedelta) -> AlertState | None:
    if inst.threshold is None:
        return None
    reached = [s for s, b in _bounds(rule, inst.threshold) if spent >= b]
    return reached[-1] if reached else None


def _view(rule: Rule, inst: Instance, pauses: list[Interval], clock: datetime) -> AlertView | None:
    if inst.threshold is None:
        return None
    deadline = time_at(inst.since, inst.threshold, pauses)
    if inst.cleared is not None:
        # A known clearing event resolves the run, whatever the clock; it counts as an alert
        # only if the run had reached WARNING (or DUE) on event time before it was cleared.
        if _level(rule, inst, elapsed(inst.since, inst.cleared, pauses)) is None:
            return None
        return AlertView(rule.rule_id, AlertState.RESOLVED, inst.since, deadline, inst.cleared)
    state = _level(rule, inst, elapsed(inst.since, clock, pauses))
    if state is None:
        return None
    bound = dict(_bounds(rule, inst.threshold))[state]
    began = time_at(inst.since, bound, pauses)
    assert began is not None  # the level was reached, so its boundary was too
    return AlertView(rule.rule_id, state, inst.since, deadline, began)


def _next_change(
    rule: Rule, inst: Instance, pauses: list[Interval], clock: datetime
) -> datetime | None:
    if inst.cleared is not None or inst.threshold is None:
        return None
    times = [time_at(inst.since, b, pauses) for _, b in _bounds(rule, inst.threshold)]
    return min((t for t in times if t is not None and t > clock), default=None)


def instances(tl: Timeline, rule: Rule, ctx: Context) -> list[Instance]:
    """The rule's clock runs; pathway.exited (E29) clears every run and starts none after it."""
    out = []
    for inst in RULES[rule.rule_id](tl, rule, ctx):
        if tl.exit_at is not None:
            if tl.exit_at < inst.since:
                continue
            if inst.cleared is None or tl.exit_at < inst.cleared:
                inst = Instance(inst.since, inst.threshold, tl.exit_at, inst.pausable)
        out.append(inst)
    return sorted(out, key=lambda i: i.since)


def _context(record: PathwayRecord, tl: Timeline, ruleset: RuleSet) -> Context:
    programme = record.dims[5]
    # A plan's conversation_regime (§3.4) decides; without one, the rules file's programmes/arms.
    intensive = (
        tl.regime == "INTENSIVE_WEEKLY" if tl.regime else ruleset.intensive(tl.trial_arm, programme)
    )
    return Context(intensive=intensive, calendar=ruleset.calendar)


def evaluate(
    record: PathwayRecord, clock: datetime, ruleset: RuleSet, tl: Timeline | None = None
) -> tuple[dict[str, AlertView], datetime | None]:
    """Alert state per rule at `clock`, and the clock time of the next state change.

    The reference: every rule's runs derived from the whole timeline. The worker keeps an
    `Evaluation` per pathway instead, which must give the same result (issue 15).
    """
    tl = tl or build(record.sorted_items())
    _t, _id, _citizen, muni, _jc, programme = record.dims
    ctx = _context(record, tl, ruleset)
    pauses = merge_pauses(tl.exemptions)
    views: dict[str, AlertView] = {}
    upcoming: list[datetime] = []
    for rule_id, rule in ruleset.for_pathway(muni, programme).items():
        runs = instances(tl, rule, ctx)
        for inst in reversed(runs):
            # The latest run that is raised (or was, before it was cleared) is the alert.
            view = _view(rule, inst, pauses if inst.pausable else [], clock)
            if view is not None:
                views[rule_id] = view
                break
        for inst in runs:
            nxt = _next_change(rule, inst, pauses if inst.pausable else [], clock)
            if nxt is not None:
                upcoming.append(nxt)
    return views, min(upcoming, default=None)


@dataclass(frozen=True)
class Live:
    """A run not cleared that can become due, with the event times its states begin at."""

    index: int  # in `since` order among the rule's runs
    inst: Instance
    deadline: datetime | None
    # (state, elapsed time it needs, the event time it is reached: None while paused for good)
    steps: tuple[tuple[AlertState, timedelta, datetime | None], ...]

    def view(self, rule_id: str, clock: datetime) -> AlertView | None:
        """`_view` at `clock`: elapsed(since, clock) >= b exactly when b is zero or the time
        `time_at` gives for b has come (elapsed grows with the clock; time_at is the first
        instant it reaches b)."""
        state, began = None, None
        for step, needed, at in self.steps:
            if needed == ZERO or (at is not None and at <= clock):
                state, began = step, at
        if state is None:
            return None
        assert began is not None
        return AlertView(rule_id, state, self.inst.since, self.deadline, began)

    def next_change(self, clock: datetime) -> datetime | None:
        """`_next_change` at `clock`."""
        return min((at for _s, _n, at in self.steps if at is not None and at > clock), default=None)


def _live(rule: Rule, index: int, inst: Instance, pauses: list[Interval]) -> Live:
    assert inst.threshold is not None
    paused = pauses if inst.pausable else []
    steps = tuple(
        (state, needed, time_at(inst.since, needed, paused))
        for state, needed in _bounds(rule, inst.threshold)
    )
    return Live(index, inst, time_at(inst.since, inst.threshold, paused), steps)


@dataclass(frozen=True)
class Runs:
    """One rule's runs on one pathway timeline, split by what the clock can still change."""

    # (index, view) of the latest run in `since` order that was cleared after it was raised:
    # its view (RESOLVED) no longer depends on the clock.
    fixed: tuple[int, AlertView] | None
    # The runs not cleared that can become due: their view and next change move with the
    # clock. Cleared runs and runs that can never be due have no next change.
    live: list[Live]


def split_runs(
    rule: Rule,
    runs: list[Instance],
    pauses: list[Interval],
    known: dict[Instance, AlertView | None] | None = None,
) -> Runs:
    """The runs of one rule (from `instances`), split into a fixed view and live runs.

    `known` holds the views of cleared runs met before (they depend only on the run and the
    pauses), so a rule whose runs are derived again does not work out its old runs again.
    """
    known = {} if known is None else known
    fixed: tuple[int, AlertView] | None = None
    live: list[Live] = []
    for i in range(len(runs) - 1, -1, -1):
        inst = runs[i]
        if inst.threshold is None:
            continue
        if inst.cleared is None:
            live.append(_live(rule, i, inst, pauses))
            continue
        if fixed is not None:
            continue  # only the latest raised cleared run can be the view
        if inst in known:
            view = known[inst]
        else:
            view = known[inst] = _view(rule, inst, pauses if inst.pausable else [], inst.cleared)
        if view is not None:
            fixed = (i, view)
    live.reverse()
    return Runs(fixed, live)


@dataclass
class Evaluation:
    """A pathway's rule runs kept between evaluations (issue 15): `evaluate`, incrementally.

    A rule's runs are derived again only when the timeline changed a field the rule reads
    (`stale`, with the fields `Timeline.extend` reports), when the pathway's rules, regime or
    exemption pauses changed, or on an exit; a clock sweep only reads the live runs. Whoever
    rebuilds the timeline starts a new Evaluation.
    """

    ruleset: RuleSet | None = None
    key: tuple[Any, ...] = ()
    pauses: list[Interval] = field(default_factory=list)
    rules: dict[str, Runs] = field(default_factory=dict)
    # rule id -> the views of its cleared runs worked out so far (same rules and pauses).
    cleared: dict[str, dict[Instance, AlertView | None]] = field(default_factory=dict)
    # (clock, next change, views) of the last evaluation while no rule's runs changed since:
    # between that clock and the next change no alert can move, so the answer is the same.
    last: tuple[datetime, datetime | None, dict[str, AlertView]] | None = None

    def stale(self, fields: frozenset[str]) -> None:
        """Forget the runs of the rules that read any of `fields` (all, on an exit)."""
        if not fields:
            return
        if "exit_at" in fields:
            self.rules.clear()
            self.last = None
            return
        for rule_id in [r for r in self.rules if READS[r] & fields]:
            del self.rules[rule_id]
            self.last = None

    def evaluate(
        self, record: PathwayRecord, clock: datetime, ruleset: RuleSet, tl: Timeline
    ) -> tuple[dict[str, AlertView], datetime | None]:
        """What `evaluate(record, clock, ruleset, tl)` returns, from the kept runs."""
        _t, _id, _citizen, muni, _jc, programme = record.dims
        ctx = _context(record, tl, ruleset)
        key = (muni, programme, ctx.intensive)
        pauses = merge_pauses(tl.exemptions)
        if ruleset is not self.ruleset or key != self.key or pauses != self.pauses:
            self.ruleset, self.key, self.pauses = ruleset, key, pauses
            self.rules.clear()
            self.cleared.clear()
            self.last = None
        last = self.last
        if last is not None and last[0] <= clock and (last[1] is None or clock < last[1]):
            return dict(last[2]), last[1]
        views: dict[str, AlertView] = {}
        upcoming: list[datetime] = []
        for rule_id, rule in ruleset.for_pathway(muni, programme).items():
            runs = self.rules.get(rule_id)
            if runs is None:
                known = self.cleared.setdefault(rule_id, {})
                runs = split_runs(rule, instances(tl, rule, ctx), pauses, known)
                self.rules[rule_id] = runs
            view = None
            for live in reversed(runs.live):
                if runs.fixed is not None and live.index < runs.fixed[0]:
                    break  # the fixed view is of a later run
                view = live.view(rule_id, clock)
                if view is not None:
                    break
            if view is None and runs.fixed is not None:
                view = runs.fixed[1]
            if view is not None:
                views[rule_id] = view
            for live in runs.live:
                nxt = live.next_change(clock)
                if nxt is not None:
                    upcoming.append(nxt)
        self.last = (clock, min(upcoming, default=None), views)
        return dict(views), self.last[1]


def alert_of(view: AlertView, fact: PathwayFact, ruleset: RuleSet, version: int) -> Alert:
    """The Alert message for one view, with the pathway's dimensions from its fact."""
    rule = ruleset.for_pathway(fact.municipality_code, fact.programme_id)[view.rule_id]
    return Alert(
        alert_key=f"{fact.pathway_id}:{view.rule_id}",
        rule_id=view.rule_id,
        rule_name=rule.name,
        rules_version=ruleset.version,
        state=view.state,
        severity=rule.severity(overdue=view.state is AlertState.OVERDUE),
        pathway_id=fact.pathway_id,
        citizen_id=fact.citizen_id,
        municipality_code=fact.municipality_code,
        region_code=fact.region_code,
        job_centre_id=fact.job_centre_id,
        since=view.since,
        deadline=view.deadline,
        state_since=view.state_since,
        version=version,
    )
