"""The worker's incremental timeline and rule runs equal the full evaluation (issue 15).

`Cached` extends a pathway's timeline by each event that comes after all others and derives
again only the runs of the rules that read a field the event changed (`Timeline.extend`,
`READS`, streams/alerts.py `Evaluation`). These tests hold that to the full reference,
`evaluate(record, clock, ruleset)` over a timeline built from scratch: after every event of
histories in any order, with duplicates and corrections, at clocks that move on as sweeps do,
for every rule and every alert state; and they check the two declarations the shortcut rests
on (what each rule reads, what each event kind changes) against what the code does.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.alerts import AlertState
from schemas.envelope import Envelope
from streams.alerts import evaluate, instances
from streams.cache import Cached
from streams.metrics import current_state
from streams.rules import Context
from streams.rules_v2 import READS, RULES
from streams.ruleset import load
from streams.state import PathwayState
from streams.timeline import Timeline, build
from tests.streams.builders import ev

RULESET = load()
T0 = datetime(2024, 1, 1, 7, tzinfo=UTC)
PID = "pw_incremental"

# Every kind a rule or the timeline reads, with payload choices that meet each rule's inputs.
OFFERS = ("o1", "o2", "o3")
OFFER_TYPES = ("COMPANY_INTERNSHIP_PRIVATE", "COMPANY_CENTRE_INTERNSHIP", "CLARIFICATION_COURSE")


def _payload(kind: str, draw: Any) -> dict[str, Any]:
    def pick(*choices: Any) -> Any:
        return draw(st.sampled_from(choices))

    if kind == "offer.started":
        return {
            "offer_id": pick(*OFFERS),
            "offer_type": pick(*OFFER_TYPES),
            "hours_per_week": pick(10, 20, 37),
            "goals_agreed": pick(True, False),
        }
    if kind == "offer.ended":
        reason = pick("COMPLETED_AS_PLANNED", "HIRED_ORDINARY", "INTERRUPTED_ILLNESS")
        return {"offer_id": pick(*OFFERS), "end_reason": reason}
    if kind in ("offer.extended", "placement.review"):
        return {"offer_id": pick(*OFFERS)}
    if kind == "placement.hours_changed":
        return {"offer_id": pick(*OFFERS), "new_hours": pick(15, 30, 37)}
    if kind == "visitation.completed":
        return {"readiness": pick("ACTIVITY_READY", "JOB_READY")}
    if kind == "readiness.changed":
        return {"to": pick("ACTIVITY_READY", "JOB_READY")}
    if kind == "match.changed":
        return {
            "to": pick("MATCH_2_EFFORT_READY", "MATCH_1_LABOUR_MARKET_READY"),
        }
    if kind == "contact.initiated":
        return {"age_band": pick("25_29", "40_49")}
    if kind in ("plan.created", "plan.updated"):
        return {
            "plan_type": pick("JOB_PLAN", "WORK_AGREEMENT"),
            "ordinary_hours_target": pick(20, 37),
            "conversation_regime": pick("INTENSIVE_WEEKLY", "STANDARD"),
            "company_element_included": pick(True, False),
        }
    if kind == "conversation.held":
        return {"conversation_type": pick("FOLLOW_UP", "JOB_CONVERSATION")}
    if kind == "contact.attempted":
        return {"channel": "PHONE", "result": pick("REACHED", "NO_ANSWER")}
    if kind == "rehab_team.recommendation":
        return {"recommendation": "RESOURCE_PATHWAY"}
    if kind == "resource_pathway.ended":
        return {"end_reason": "FLEX_JOB"}
    if kind == "screening.completed":
        return {"barrier_categories": ["HEALTH_MENTAL"], "sensitivity": "HEALTH"}
    if kind in ("mentor.assigned", "mentor.ended"):
        return {"mentor_assignment_id": pick("m1", "m2")}
    if kind in ("exemption.started", "exemption.ended"):
        fields = {"exemption_id": pick("e1", "e2"), "sensitivity": "HEALTH", "reason": "ILLNESS"}
        if kind == "exemption.started":
            fields["review_date"] = (T0 + timedelta(days=pick(20, 90))).date().isoformat()
        return fields
    if kind in ("parallel_effort.started", "parallel_effort.ended"):
        return {"effort_id": pick("p1", "p2")}
    if kind in ("referral.made", "referral.accepted"):
        return {"referral_id": pick("r1", "r2"), "to_unit": pick("COMPANY_CONSULTANT", "COURSE")}
    if kind == "resource_pathway.started":
        return {"company_element_in_plan": pick(True, False)}
    if kind == "case.handed_over":
        return {"handover_reason": pick("STAFF_SICKNESS", "REORGANISATION")}
    if kind == "trial.randomised":
        return {"arm": pick("TREATMENT", "CONTROL")}
    return {}


KINDS = (
    "contact.initiated", "visitation.completed", "readiness.changed", "match.changed",
    "trial.randomised", "plan.created", "plan.updated", "offer.started", "offer.extended",
    "offer.ended", "placement.hours_changed", "conversation.held", "conversation.no_show",
    "contact.attempted", "mentor.assigned", "mentor.ended", "parallel_effort.started",
    "parallel_effort.ended", "exemption.started", "exemption.ended", "referral.made",
    "referral.accepted", "placement.review", "resource_pathway.started",
    "rehab_team.recommendation", "resource_pathway.ended", "case.handed_over",
    "pathway.exited", "screening.completed",
)  # fmt: skip


# Offers and their ends often (most rules read offers); the exit at most once, last.
WEIGHTED = tuple(k for k in KINDS if k != "pathway.exited") + ("offer.started", "offer.ended") * 3


@st.composite
def histories(draw: Any) -> list[Envelope]:
    """One pathway's events in time order: mostly a day or two apart, some the same instant,
    a few corrections of an earlier event, trial arms on the envelope."""
    out: list[Envelope] = []
    at = T0
    for i in range(draw(st.integers(1, 45))):
        at += timedelta(hours=draw(st.sampled_from([0, 1, 20, 49, 24 * 9, 24 * 40])))
        kind = draw(st.sampled_from(WEIGHTED))
        fields = _payload(kind, draw)
        if out and draw(st.integers(0, 9)) == 0:
            fields["supersedes_event_id"] = str(out[draw(st.integers(0, len(out) - 1))].event_id)
        if draw(st.integers(0, 5)) == 0:
            fields["trial_arm"] = fields.get("arm", draw(st.sampled_from(["TREATMENT", "CONTROL"])))
        eid = uuid.uuid5(uuid.NAMESPACE_URL, f"incremental:{i}")
        out.append(ev(kind, at, pathway_id=PID, event_id=str(eid), **fields))
    if draw(st.integers(0, 3)) == 0:  # an exit ends every clock, and starts none after it
        at += timedelta(hours=draw(st.sampled_from([1, 24 * 9])))
        out.append(ev("pathway.exited", at, pathway_id=PID, event_id=str(uuid.uuid4())))
    return out


@st.composite
def deliveries(draw: Any) -> list[Envelope]:
    """A history delivered mostly in order, some events late, some twice."""
    events = draw(histories())
    order = sorted(range(len(events)), key=lambda i: i + draw(st.sampled_from([0, 0, 0, 3, 9])))
    out = [events[i] for i in order]
    for _ in range(draw(st.integers(0, 3))):
        out.insert(draw(st.integers(0, len(out))), out[draw(st.integers(0, len(out) - 1))])
    return out


def _full(state: PathwayState, clock: datetime) -> Any:
    return evaluate(state.record, clock, RULESET, build(state.record.sorted_items()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=deliveries(), data=st.data())
def test_incremental_evaluation_equals_the_full_one_after_every_event(
    events: list[Envelope], data: Any
) -> None:
    cached = Cached(PathwayState(PID))
    seen: Counter[str] = Counter()
    for event in events:
        if cached.state.apply(event):
            cached.changed(cached.state.record.appended)
        # The clock of a sweep moves on between events, past warnings and deadlines.
        for _ in range(data.draw(st.integers(1, 2))):
            clock = event.occurred_at + timedelta(days=data.draw(st.sampled_from([-1, 0, 6, 70])))
            got = cached.evaluate(clock, RULESET)
            assert got == _full(cached.state, clock)
            seen.update(v.state.value for v in got[0].values())
        assert cached.timeline() == build(cached.state.record.sorted_items())


def test_the_histories_reach_every_rule_in_every_state() -> None:
    """The property test above means something only if its histories raise every rule."""
    reached: set[tuple[str, AlertState]] = set()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(events=histories())
    def collect(events: list[Envelope]) -> None:
        state = PathwayState(PID)
        for e in events:  # the clocks of the equality test above, after every event
            state.apply(e)
            for days in (0, 6, 70):
                views, _ = _full(state, e.occurred_at + timedelta(days=days))
                reached.update((v.rule_id, v.state) for v in views.values())

    collect()
    rules = set(RULESET.for_pathway("751", "NONE"))
    raised = {r for r, s in reached if s is not AlertState.RESOLVED}
    resolved = {r for r, s in reached if s is AlertState.RESOLVED}
    assert (raised, resolved) == (rules, rules)
    assert {s for _r, s in reached} == set(AlertState)


class _Reads:
    """A timeline that records which fields are read."""

    def __init__(self, tl: Timeline) -> None:
        self._tl, self.read = tl, set[str]()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._tl, name)


@settings(max_examples=150, deadline=None)
@given(events=histories())
def test_each_rule_reads_only_the_fields_it_declares(events: list[Envelope]) -> None:
    state = PathwayState(PID)
    for e in events:
        state.apply(e)
    tl = build(state.record.sorted_items())
    rules = RULESET.for_pathway("751", "NONE")
    for intensive in (False, True):
        ctx = Context(intensive=intensive, calendar=RULESET.calendar)
        for rule_id, fn in RULES.items():
            reads = _Reads(tl)
            fn(reads, rules[rule_id], ctx)  # type: ignore[arg-type]  # a stand-in timeline
            assert reads.read <= READS[rule_id], rule_id
        # `instances` reads the exit besides the rule: Evaluation.stale drops every rule on it.
        for rule_id in RULES:
            reads = _Reads(tl)
            instances(reads, rules[rule_id], ctx)  # type: ignore[arg-type]
            assert reads.read <= READS[rule_id] | {"exit_at"}, rule_id


@settings(max_examples=150, deadline=None)
@given(events=histories())
def test_extend_reports_every_field_it_changes(events: list[Envelope]) -> None:
    items = [e for e in events if not e.supersedes_event_id]
    state = PathwayState(PID)
    for e in items:
        state.apply(e)
    tl = Timeline(items=[])
    names = [f.name for f in dataclasses.fields(Timeline) if not f.name.startswith("_")]
    for item in state.record.sorted_items():
        before = copy.deepcopy(tl)
        reported = tl.extend(item)
        changed = {n for n in names if getattr(before, n) != getattr(tl, n)}
        assert changed - {"items", "last_event_at"} <= reported, item["k"]


@settings(max_examples=200, deadline=None)
@given(events=deliveries())
def test_the_kept_main_track_state_equals_the_reference_fold(events: list[Envelope]) -> None:
    state = PathwayState(PID)
    for e in events:
        state.apply(e)
        tl = build(state.record.sorted_items())
        assert tl.main_state == current_state(tl)
