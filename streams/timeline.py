"""A pathway's sorted record read as a timeline: offers, conversations, intervals (§3, §4.2).

Built in one pass over the items in (occurred_at, event_id) order, so it is a pure function of
the set of events. Facts (streams/metrics.py) and alert rules (streams/rules.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
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
# Events that move the main track (§3.2, §3.3): A23 restarts on each of them.
STATE_CHANGING = frozenset(
    {
        "contact.initiated",
        "screening.completed",
        "visitation.completed",
        "referral.made",
        "referral.accepted",
        "plan.created",
        "offer.started",
        "offer.extended",
        "offer.ended",
        "placement.hours_changed",
        "readiness.changed",
        "match.changed",
        "resource_pathway.started",
        "resource_pathway.ended",
        "pathway.exited",
    }
)


@lru_cache(maxsize=1 << 16)  # facts and rules ask for the same instants' dates again and again
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
    state_changes: list[datetime] = field(default_factory=list)  # STATE_CHANGING items (A23)
    # Main-track state after the latest state-changing event (§3.2, T1-T15; M15 current_state),
    # folded item by item; streams/metrics.py `current_state` is the reference it must equal.
    main_state: str = "CONTACTED"
    # What `extend` needs to go on from the last item (issue 15): offers by id, the trial arm
    # of trial.randomised and the latest envelope trial_arm.
    _offers: dict[str, Offer] = field(default_factory=dict, repr=False, compare=False)
    _randomised_arm: str = field(default="", repr=False, compare=False)
    _envelope_arm: str = field(default="", repr=False, compare=False)
    _open_offers: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def extend(self, it: Item) -> frozenset[str]:
        """Fold one more item, later in (occurred_at, event_id) order than every item so far.

        Returns the names of the fields it may have changed besides `items` and `last_event_at`,
        so a caller that keeps results derived from some fields knows which
        to derive again (streams/alerts.py `Evaluation`, issue 15).
        """
        at, kind = time_of(it), it["k"]
        self.items.append(it)
        self.last_event_at = at
        changed = _EXTEND.get(kind, frozenset())
        if kind in STATE_CHANGING:
            self.state_changes.append(at)
        arm = it.get("a", self._envelope_arm)
        if arm != self._envelope_arm:
            self._envelope_arm = arm
            changed = changed | _ARM
        if kind == "contact.initiated":
            self.contacts.append(at)
            if not self.age_band:
                self.age_band = it.get("age_band", "")
        elif kind == "visitation.completed":
            self.visitations.append(at)
            self.readiness = it.get("readiness", self.readiness)
            self.match_group = it.get("match_group", self.match_group)
        elif kind in ("readiness.changed", "match.changed"):
            to = it.get("to", "")
            if to in READINESS_VALUES:
                self.readiness = to
            elif to in MATCH_VALUES:
                self.match_group = to
            if to in JOB_READY:
                self.job_ready_at.append(at)
        elif kind == "trial.randomised":
            self._randomised_arm = it.get("arm", self._randomised_arm)
            if self.trial_entry_at is None:
                self.trial_entry_at = at
        elif kind in ("plan.created", "plan.updated"):
            self.regime = it.get("conversation_regime", self.regime)
            self.plans.append((at, it.get("plan_type", ""), it.get("ordinary_hours_target")))
            if it.get("company_element_included"):
                self.company_plans.append(at)
        elif kind == "offer.started":
            oid = str(it.get("offer_id", it["id"]))
            if oid not in self._offers:
                self._offers[oid] = offer = Offer(
                    oid, at, it.get("offer_type", ""), it.get("hours_per_week"),
                    bool(it.get("goals_agreed", False)),
                )  # fmt: skip
                self.offers.append(offer)  # in (start, offer_id) order
                if len(self.offers) > 1 and (at, oid) < _offer_key(self.offers[-2]):
                    self.offers.sort(key=_offer_key)
        elif kind == "offer.extended":
            if it.get("offer_id") in self._offers:
                self._offers[it["offer_id"]].extensions += 1
        elif kind == "offer.ended":
            ended = self._offers.get(it.get("offer_id", ""))
            if ended is not None and ended.end is None:
                ended.end, ended.end_reason = at, it.get("end_reason", "")
                ended.actual_weeks = it.get("actual_weeks")
        elif kind == "placement.hours_changed" and it.get("new_hours") is not None:
            self.hours_changes.append((at, it.get("offer_id", ""), float(it["new_hours"])))
        elif kind == "conversation.held":
            self.held.append((at, it.get("conversation_type", "")))
        elif kind == "conversation.scheduled":
            self.scheduled += 1
        elif kind == "conversation.no_show":
            self.no_shows.append(at)
        elif kind == "contact.attempted":
            self.attempts.append((at, it.get("result", "")))
        elif kind == "mentor.assigned":
            key = str(it.get("mentor_assignment_id", it["id"]))
            self.mentors.append(Interval(at, key=key, link=it.get("linked_offer_id", "")))
        elif kind == "mentor.ended":
            _close(self.mentors, it.get("mentor_assignment_id", ""), at)
        elif kind == "parallel_effort.started":
            self.parallel.append(Interval(at, key=_effort_key(it)))
        elif kind == "parallel_effort.ended":
            _close(self.parallel, _effort_key(it), at)
        elif kind == "exemption.started":
            if it.get("exempt_from", "ACTIVATION") in ("ACTIVATION", "BOTH"):
                key = str(it.get("exemption_id", ""))
                self.exemptions.append(Interval(at, key=key, review_date=it.get("review_date", "")))
        elif kind == "exemption.ended":
            _close(self.exemptions, str(it.get("exemption_id", "")), at)
        elif kind == "benefit.changed":
            if self.benefit_ended_at is None and it.get("to_benefit", "") not in CASH_LIKE:
                self.benefit_ended_at = at
        elif kind == "referral.made":
            self.referrals.append((at, str(it.get("referral_id", "")), it.get("to_unit", "")))
        elif kind == "referral.accepted":
            self.accepted.append((at, str(it.get("referral_id", ""))))
        elif kind == "placement.review":
            self.reviews.append((at, str(it.get("offer_id", ""))))
        elif kind == "resource_pathway.started":
            self.rehab_starts.append((at, bool(it.get("company_element_in_plan", False))))
        elif kind == "rehab_team.recommendation":
            self.recommendations.append(at)
        elif kind == "resource_pathway.ended":
            self.rehab_ends.append(at)
        elif kind == "case.handed_over":
            self.handovers.append((at, it.get("handover_reason", "")))
        elif kind == "pathway.exited" and self.exit_at is None:
            # The first exit ends the pathway; a later one is a re-registration, not a new end.
            self.exit_at, self.outcome = at, it.get("outcome", "")
        # The trial arm: trial.randomised's, else the latest event's envelope trial_arm.
        self.trial_arm = self._randomised_arm or self._envelope_arm
        if self.main_state != "EXITED":
            before = self.main_state
            self._main_track(it, kind)
            if self.main_state != before:
                changed = changed | _MAIN
        return changed

    def _main_track(self, it: Item, kind: str) -> None:
        """Move `main_state` on by one item (the first exit ends the pathway for good)."""
        if kind == "screening.completed":
            self.main_state = "SCREENED"
        elif kind == "visitation.completed":
            self.main_state = "ASSESSED"
        elif kind == "plan.created" or (kind == "plan.updated" and not self._open_offers):
            self.main_state = "PLANNED"
        elif kind == "resource_pathway.started":
            self.main_state = "RESOURCE_PATHWAY"
        elif kind == "offer.started" and it.get("offer_id") in self._offers:
            company = self._offers[it["offer_id"]].company
            self._open_offers[it["offer_id"]] = company
            self.main_state = "IN_COMPANY_PLACEMENT" if company else "PREPARATORY"
        elif kind == "offer.ended" and it.get("offer_id") in self._open_offers:
            was_company = self._open_offers.pop(it["offer_id"])
            interrupted = str(it.get("end_reason", "")).startswith("INTERRUPTED")
            if any(self._open_offers.values()):
                self.main_state = "IN_COMPANY_PLACEMENT"
            elif self._open_offers:
                self.main_state = "PREPARATORY"
            elif interrupted or not was_company:
                # T12 a placement broke down; T8 a course ended with no placement yet. A
                # placement completed as planned stays until the next step (T10, T11).
                self.main_state = "PLANNED"
        elif kind in ("readiness.changed", "match.changed") and it.get("to") in JOB_READY:
            self.main_state = "JOB_HUNT"
        elif kind == "pathway.exited":
            self.main_state = "EXITED"


def _close(open_: list[Interval], key: str, at: datetime) -> None:
    # The earliest still-open interval with this key (any, if either side has no key) ends here.
    for iv in open_:
        if iv.end is None and (not key or not iv.key or iv.key == key):
            iv.end = at
            return


def _offer_key(offer: Offer) -> tuple[datetime, str]:
    return (offer.start, offer.offer_id)


def _effort_key(it: Item) -> str:
    # effort_id when the source has one, else the correlation id, else the effort type.
    return str(it.get("effort_id", it.get("c", it.get("effort_type", ""))))


# The fields (besides items and last_event_at) an item of each kind may change.
_ARM = frozenset({"trial_arm"})
_MAIN = frozenset({"main_state"})
_EXTEND: dict[str, frozenset[str]] = {
    kind: frozenset(fields)
    for kind, fields in {
        "contact.initiated": ("contacts", "age_band"),
        "visitation.completed": ("visitations", "readiness", "match_group"),
        "readiness.changed": ("readiness", "match_group", "job_ready_at"),
        "match.changed": ("readiness", "match_group", "job_ready_at"),
        "trial.randomised": ("trial_arm", "trial_entry_at"),
        "plan.created": ("regime", "plans", "company_plans"),
        "plan.updated": ("regime", "plans", "company_plans"),
        "offer.started": ("offers",),
        "offer.extended": ("offers",),
        "offer.ended": ("offers",),
        "placement.hours_changed": ("hours_changes",),
        "conversation.held": ("held",),
        "conversation.scheduled": ("scheduled",),
        "conversation.no_show": ("no_shows",),
        "contact.attempted": ("attempts",),
        "mentor.assigned": ("mentors",),
        "mentor.ended": ("mentors",),
        "parallel_effort.started": ("parallel",),
        "parallel_effort.ended": ("parallel",),
        "exemption.started": ("exemptions",),
        "exemption.ended": ("exemptions",),
        "benefit.changed": ("benefit_ended_at",),
        "referral.made": ("referrals",),
        "referral.accepted": ("accepted",),
        "placement.review": ("reviews",),
        "resource_pathway.started": ("rehab_starts",),
        "rehab_team.recommendation": ("recommendations",),
        "resource_pathway.ended": ("rehab_ends",),
        "case.handed_over": ("handovers",),
        "pathway.exited": ("exit_at", "outcome"),
    }.items()
}
_EXTEND.update(
    {kind: _EXTEND.get(kind, frozenset()) | {"state_changes"} for kind in STATE_CHANGING}
)


def build(items: list[Item]) -> Timeline:
    """The timeline of items in (occurred_at, event_id) order: one `extend` per item."""
    tl = Timeline(items=[])
    for it in items:
        tl.extend(it)
    return tl
