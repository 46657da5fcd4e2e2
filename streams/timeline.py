"""A pathway's sorted record read as a timeline: offers, conversations, intervals (§3, §4.2).

Built in one pass over the items in (occurred_at, event_id) order, so it is a pure function of
the set of events. Facts (streams/metrics.py) and alert rules (streams/rules.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from schemas.enums import COMPANY_ORIENTED, MatchGroup, OfferType, Readiness
from streams.record import Item, time_of

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
COMPANY_TYPES = frozenset(t.value for t in COMPANY_ORIENTED)
# M09 counts internships only (virksomhedspraktik, praktik i virksomhedscenter), not wage subsidy.
INTERNSHIP_TYPES = frozenset(
    t.value
    for t in (
        OfferType.COMPANY_INTERNSHIP_PRIVATE,
        OfferType.COMPANY_INTERNSHIP_PUBLIC,
        OfferType.COMPANY_CENTRE_INTERNSHIP,
    )
)
READINESS_VALUES = frozenset(r.value for r in Readiness)
MATCH_VALUES = frozenset(m.value for m in MatchGroup)
JOB_READY = frozenset({Readiness.JOB_READY.value, MatchGroup.MATCH_1_LABOUR_MARKET_READY.value})
# Benefits that keep a citizen in the cash-benefit target group (M10a denominator, §6.1).
CASH_LIKE = frozenset({"CASH_BENEFIT", "START_BENEFIT", "EDUCATION_BENEFIT", "INTEGRATION_BENEFIT"})


def local_date(at: datetime) -> date:
    """The Danish calendar date of an instant."""
    return at.astimezone(LOCAL_TZ).date()


def calendar_days(start: datetime, end: datetime) -> int:
    """Whole calendar days between two instants, counted on Danish local dates (RD-01)."""
    return (local_date(end) - local_date(start)).days


def week_monday(at: datetime) -> date:
    """Monday of the ISO week (Copenhagen date) of an instant."""
    d = local_date(at)
    return d - timedelta(days=d.weekday())


@dataclass
class Offer:
    """One offer (E12), with its end (E14) and extensions (E13) joined by offer_id."""

    offer_id: str
    start: datetime
    offer_type: str
    hours: float | None
    goals_agreed: bool
    end: datetime | None = None
    end_reason: str = ""
    actual_weeks: float | None = None
    extensions: int = 0

    @property
    def company(self) -> bool:
        """Company-oriented offer type (§4.3)."""
        return self.offer_type in COMPANY_TYPES


@dataclass
class Interval:
    """A started/ended pair (mentor, parallel effort, exemption); end None while open."""

    start: datetime
    end: datetime | None = None
    key: str = ""
    review_date: str = ""  # exemptions (E20): when the exemption is to be reviewed
    link: str = ""  # mentors (E17): linked_offer_id

    def overlaps(self, start: datetime, end: datetime | None) -> bool:
        """True if this interval and [start, end) share time (None = open-ended)."""
        return (end is None or self.start < end) and (self.end is None or start < self.end)


@dataclass
class Timeline:
    """Everything the metrics and rules read, in event-time order."""

    items: list[Item]
    contacts: list[datetime] = field(default_factory=list)
    visitations: list[datetime] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    held: list[tuple[datetime, str]] = field(default_factory=list)
    scheduled: int = 0
    no_shows: list[datetime] = field(default_factory=list)
    attempts: list[tuple[datetime, str]] = field(default_factory=list)
    hours_changes: list[tuple[datetime, str, float]] = field(default_factory=list)
    plans: list[tuple[datetime, str, float | None]] = field(default_factory=list)
    job_ready_at: list[datetime] = field(default_factory=list)
    mentors: list[Interval] = field(default_factory=list)
    parallel: list[Interval] = field(default_factory=list)
    exemptions: list[Interval] = field(default_factory=list)  # activation exemptions (E20)
    readiness: str = ""
    regime: str = ""  # latest conversation_regime of a plan (§3.4), "" if never set
    match_group: str = ""
    age_band: str = ""
    trial_arm: str = ""
    trial_entry_at: datetime | None = None
    benefit_ended_at: datetime | None = None
    exit_at: datetime | None = None
    outcome: str = ""
    last_event_at: datetime | None = None
    # Read by the rules of version 2 (streams/rules_v2.py):
    referrals: list[tuple[datetime, str, str]] = field(default_factory=list)  # E4 (id, to_unit)
    accepted: list[tuple[datetime, str]] = field(default_factory=list)  # E4 referral_id
    reviews: list[tuple[datetime, str]] = field(default_factory=list)  # E16 offer_id
    rehab_starts: list[tuple[datetime, bool]] = field(default_factory=list)  # E21 company element
    recommendations: list[datetime] = field(default_factory=list)  # E21 rehab team
    rehab_ends: list[datetime] = field(default_factory=list)  # E21 resource_pathway.ended
    company_plans: list[datetime] = field(default_factory=list)  # E11 company_element_included
    handovers: list[tuple[datetime, str]] = field(default_factory=list)  # E5 handover_reason


def _close(open_: list[Interval], key: str, at: datetime) -> None:
    # The earliest still-open interval with this key (any, if either side has no key) ends here.
    for iv in open_:
        if iv.end is None and (not key or not iv.key or iv.key == key):
            iv.end = at
            return


def _effort_key(it: Item) -> str:
    # effort_id when the source has one, else the correlation id, else the effort type.
    return str(it.get("effort_id", it.get("c", it.get("effort_type", ""))))


def build(items: list[Item]) -> Timeline:
    """One pass over sorted items."""
    tl = Timeline(items=items)
    offers: dict[str, Offer] = {}
    envelope_arm = ""
    for it in items:
        at, kind = time_of(it), it["k"]
        tl.last_event_at = at
        envelope_arm = it.get("a", envelope_arm)
        if kind == "contact.initiated":
            tl.contacts.append(at)
            if not tl.age_band:
                tl.age_band = it.get("age_band", "")
        elif kind == "visitation.completed":
            tl.visitations.append(at)
            tl.readiness = it.get("readiness", tl.readiness)
            tl.match_group = it.get("match_group", tl.match_group)
        elif kind in ("readiness.changed", "match.changed"):
            to = it.get("to", "")
            if to in READINESS_VALUES:
                tl.readiness = to
            elif to in MATCH_VALUES:
                tl.match_group = to
            if to in JOB_READY:
                tl.job_ready_at.append(at)
        elif kind == "trial.randomised":
            tl.trial_arm = it.get("arm", tl.trial_arm)
            if tl.trial_entry_at is None:
                tl.trial_entry_at = at
        elif kind in ("plan.created", "plan.updated"):
            tl.regime = it.get("conversation_regime", tl.regime)
            tl.plans.append((at, it.get("plan_type", ""), it.get("ordinary_hours_target")))
            if it.get("company_element_included"):
                tl.company_plans.append(at)
        elif kind == "offer.started":
            oid = str(it.get("offer_id", it["id"]))
            if oid not in offers:
                offers[oid] = Offer(
                    oid, at, it.get("offer_type", ""), it.get("hours_per_week"),
                    bool(it.get("goals_agreed", False)),
                )  # fmt: skip
        elif kind == "offer.extended":
            if it.get("offer_id") in offers:
                offers[it["offer_id"]].extensions += 1
        elif kind == "offer.ended":
            offer = offers.get(it.get("offer_id", ""))
            if offer is not None and offer.end is None:
                offer.end, offer.end_reason = at, it.get("end_reason", "")
                offer.actual_weeks = it.get("actual_weeks")
        elif kind == "placement.hours_changed" and it.get("new_hours") is not None:
            tl.hours_changes.append((at, it.get("offer_id", ""), float(it["new_hours"])))
        elif kind == "conversation.held":
            tl.held.append((at, it.get("conversation_type", "")))
        elif kind == "conversation.scheduled":
            tl.scheduled += 1
        elif kind == "conversation.no_show":
            tl.no_shows.append(at)
        elif kind == "contact.attempted":
            tl.attempts.append((at, it.get("result", "")))
        elif kind == "mentor.assigned":
            key = str(it.get("mentor_assignment_id", it["id"]))
            tl.mentors.append(Interval(at, key=key, link=it.get("linked_offer_id", "")))
        elif kind == "mentor.ended":
            _close(tl.mentors, it.get("mentor_assignment_id", ""), at)
        elif kind == "parallel_effort.started":
            tl.parallel.append(Interval(at, key=_effort_key(it)))
        elif kind == "parallel_effort.ended":
            _close(tl.parallel, _effort_key(it), at)
        elif kind == "exemption.started":
            if it.get("exempt_from", "ACTIVATION") in ("ACTIVATION", "BOTH"):
                key = str(it.get("exemption_id", ""))
                tl.exemptions.append(Interval(at, key=key, review_date=it.get("review_date", "")))
        elif kind == "exemption.ended":
            _close(tl.exemptions, str(it.get("exemption_id", "")), at)
        elif kind == "benefit.changed":
            if tl.benefit_ended_at is None and it.get("to_benefit", "") not in CASH_LIKE:
                tl.benefit_ended_at = at
        elif kind == "referral.made":
            tl.referrals.append((at, str(it.get("referral_id", "")), it.get("to_unit", "")))
        elif kind == "referral.accepted":
            tl.accepted.append((at, str(it.get("referral_id", ""))))
        elif kind == "placement.review":
            tl.reviews.append((at, str(it.get("offer_id", ""))))
        elif kind == "resource_pathway.started":
            tl.rehab_starts.append((at, bool(it.get("company_element_in_plan", False))))
        elif kind == "rehab_team.recommendation":
            tl.recommendations.append(at)
        elif kind == "resource_pathway.ended":
            tl.rehab_ends.append(at)
        elif kind == "case.handed_over":
            tl.handovers.append((at, it.get("handover_reason", "")))
        elif kind == "pathway.exited" and tl.exit_at is None:
            # The first exit ends the pathway; a later one is a re-registration, not a new end.
            tl.exit_at, tl.outcome = at, it.get("outcome", "")
    if not tl.trial_arm:
        tl.trial_arm = envelope_arm
    tl.offers = sorted(offers.values(), key=lambda o: (o.start, o.offer_id))
    return tl
