"""Alert rules added in rules version 2 (domain.md §5.2): A02, A11, A14, A16, A17, A22.

Same shape as streams/rules.py: a rule reads the pathway's timeline and yields clock instances
(since, threshold, cleared). `RULES` here is the registry of every rule a rules file may name.
A07, A19, A20 and A21 are not per-pathway rules or lack their events; docs/metrics.md says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from schemas.enums import OfferType
from streams import rules as v1
from streams.clock import after_working_days
from streams.rules import ACTIVITY_READY, MATCH_2, Context, Instance, _chain, _first
from streams.ruleset import Rule
from streams.timeline import Timeline

# RD-02: the active-effort duty is for citizens over 30 (E1 age_band; unknown age: no alert).
OVER_30 = frozenset({"30_39", "40_49", "50_PLUS"})
COMPANY_CENTRE = OfferType.COMPANY_CENTRE_INTERNSHIP.value
# A14: handovers into the employment track that must be taken up (§5.2).
HANDOVER_UNITS = frozenset({"COMPANY_CONSULTANT", "COURSE", "REHAB_TEAM"})


def a02(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A02: activity-ready citizen over 30 with no offer started after visitation (RD-02/03)."""
    ready = tl.readiness == ACTIVITY_READY or tl.match_group == MATCH_2
    if not tl.visitations or not ready or tl.age_band not in OVER_30:
        return []
    since = min(tl.visitations)
    # An offer still running at the visitation counts as the active effort from `since` on.
    running = [o.start for o in tl.offers if o.start < since and (o.end is None or o.end > since)]
    cleared = since if running else _first([o.start for o in tl.offers], since)
    return [Instance(since, r.days("threshold_days"), cleared, pausable=True)]


def a11(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A11: company-centre placement with no placement.review for N days (RD-20)."""
    thr = r.days("threshold_days")
    out: list[Instance] = []
    for o in tl.offers:
        if o.offer_type != COMPANY_CENTRE:
            continue
        reviews = [
            t for t, oid in tl.reviews
            if oid in ("", o.offer_id) and o.start < t and (o.end is None or t < o.end)
        ]  # fmt: skip
        chain = _chain([o.start, *reviews], lambda a: thr)
        last = chain[-1]
        chain[-1] = Instance(last.since, thr, o.end)  # the placement's end stops the last run
        out += chain
    return out


def a14(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A14: referral to consultant / course / rehab team not accepted or started (000, case C)."""
    n = int(r.number("threshold_working_days", 10))
    out = []
    for at, rid, unit in tl.referrals:
        if unit not in HANDOVER_UNITS:
            continue
        accepted = [max(t, at) for t, aid in tl.accepted if aid == rid]
        if unit == "REHAB_TEAM":
            starts = tl.recommendations + [t for t, _ in tl.rehab_starts]
        else:  # the course starts (a preparatory offer) or the placement does (a company one)
            company = unit == "COMPANY_CONSULTANT"
            starts = [o.start for o in tl.offers if o.company == company]
        cleared = min([*accepted, *(t for t in starts if t >= at)], default=None)
        deadline = after_working_days(at, n, ctx.calendar)
        out.append(Instance(at, deadline - at, cleared))
    return out


def a16(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A16: a parallel effort runs with no company or preparatory offer beside it (000)."""

    def alone(t: datetime) -> bool:
        effort = any(p.start <= t and (p.end is None or t < p.end) for p in tl.parallel)
        offer = any(o.start <= t and (o.end is None or t < o.end) for o in tl.offers)
        return effort and not offer

    spans = [(p.start, p.end) for p in tl.parallel] + [(o.start, o.end) for o in tl.offers]
    points = {t for span in spans for t in span if t is not None}
    out, since, thr = [], None, r.days("threshold_days")
    for t in sorted(points):
        if alone(t) and since is None:
            since = t
        elif not alone(t) and since is not None:
            out.append(Instance(since, thr, t, pausable=True))
            since = None
    if since is not None:
        out.append(Instance(since, thr, None, pausable=True))
    return out


def a17(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A17: resource pathway started without a company element in the rehab plan (RD-23)."""
    fixes = tl.company_plans + [o.start for o in tl.offers if o.company] + tl.rehab_ends
    return [
        Instance(at, r.days("threshold_days"), _first(fixes, at))
        for at, company in tl.rehab_starts
        if not company
    ]


def a22(tl: Timeline, r: Rule, ctx: Context) -> list[Instance]:
    """A22: case handed over for a staff reason in the intensive regime (003), on the event."""
    if not ctx.intensive:
        return []
    out = []
    for at, reason in tl.handovers:
        if reason.startswith("STAFF_"):
            # The series continues when the next conversation is held after the handover.
            after = [t for t, _ in tl.held if t > at]
            out.append(Instance(at, r.days("threshold_days"), min(after, default=None)))
    return out


RULES: dict[str, Callable[[Timeline, Rule, Context], list[Instance]]] = {
    **v1.RULES,
    "A02": a02,
    "A11": a11,
    "A14": a14,
    "A16": a16,
    "A17": a17,
    "A22": a22,
}

READS: dict[str, frozenset[str]] = {
    **v1.READS,
    "A02": frozenset({"readiness", "match_group", "visitations", "age_band", "offers"}),
    "A11": frozenset({"offers", "reviews"}),
    "A14": frozenset({"referrals", "accepted", "recommendations", "rehab_starts", "offers"}),
    "A16": frozenset({"parallel", "offers"}),
    "A17": frozenset({"company_plans", "offers", "rehab_ends", "rehab_starts"}),
    "A22": frozenset({"handovers", "held"}),
}
