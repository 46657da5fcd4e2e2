"""Per-pathway facts the stream emits (key = pathway id) and the sink writes to ClickHouse.

A fact is a pure function of the pathway's own deduplicated events (never of processing time or
of other pathways), so any arrival order, duplication or delay of the same events gives the same
fact. Anything that needs "now" (open pathways past a deadline, weekly denominators up to today)
is computed at query time against the completeness watermark (`schemas/progress.py`).
Metric ids refer to ../shared/domain.md §6.1; definitions are in docs/metrics.md.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

# Funnel stages in order (M15, §3.2). A pathway "reached" a stage if it was ever there; the
# preparatory stage is optional (T6: assessed -> company placement directly is allowed).
FUNNEL_STAGES = (
    "CONTACTED",
    "ASSESSED",
    "PLANNED",
    "PREPARATORY",
    "IN_COMPANY_PLACEMENT",
    "JOB_HUNT",
    "EXITED_JOB_OR_EDUCATION",
)


class PathwayFact(BaseModel):
    """Latest derived facts of one pathway; `version` grows with every applied event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- identity and dimensions (latest by event time unless noted) ---
    pathway_id: str
    citizen_id: str
    municipality_code: str
    # Derived from municipality code + entry date via schemas/reference (§2.3); "" if unknown.
    region_code: str = ""
    job_centre_id: str
    programme_id: str = "NONE"
    trial_arm: str = ""  # "", TREATMENT, CONTROL (E26 or envelope)
    readiness: str = ""  # latest readiness (E3 / readiness.changed), "" if none
    match_group: str = ""  # latest match group, "" if none
    age_band: str = ""  # from E1
    entry_at: datetime | None = None  # earliest contact.initiated (E1)
    entry_week: date | None = None  # Monday of the ISO week of entry (Copenhagen date)
    entry_month: date | None = None  # first day of the month of entry
    trial_entry_at: datetime | None = None  # trial.randomised (E26), week 1 of trial metrics

    # --- flow timings (calendar days on Copenhagen dates) ---
    visitation_at: datetime | None = None  # earliest visitation.completed (E3)
    days_to_visitation: int | None = None  # M02
    visited_within_7_days: bool | None = None  # M01; None while no visitation yet
    first_offer_at: datetime | None = None  # earliest offer.started of any type
    days_visitation_to_first_offer: int | None = None  # M03
    first_company_placement_at: datetime | None = None  # earliest company-oriented E12
    days_to_first_company_placement: int | None = None  # M04, from entry
    days_visitation_to_first_company_placement: int | None = None  # M04, from visitation
    ever_company_oriented: bool = False  # M08
    internship_days: int = 0  # M09: days in internship offers (open ones up to last event)

    # --- conversations (M10, M12) ---
    # Week indices k (0 = ISO week of entry) with at least one conversation.held (E7).
    conversation_weeks: list[int] = Field(default_factory=list)
    conversations_held: int = 0
    conversations_scheduled: int = 0
    no_shows: int = 0
    # First time the citizen left benefit (E22 to NONE/STUDENT_GRANT...): end of the M10a
    # (register-style) denominator; exit_at ends the M10b (programme-style) one.
    benefit_ended_at: datetime | None = None

    # --- pre-course conversion (M14) ---
    pre_course_ended_at: datetime | None = None  # first preparatory offer completed (E14)
    pre_course_to_placement_7d: bool | None = None  # company start <= 7 days after that end

    # --- funnel (M15) and main-track state (§3.2) ---
    stage_reached: str = "CONTACTED"  # furthest of FUNNEL_STAGES reached
    stages_reached: list[str] = Field(default_factory=list)  # every stage ever reached
    lost_at_stage: str = ""  # furthest stage when the pathway exited with a loss outcome
    current_state: str = "CONTACTED"

    # --- placements (M17, M18, M19, M26, M29) ---
    company_offers_started: int = 0
    company_offers_ended: int = 0
    company_placement_weeks: float = 0.0  # sum of actual weeks of ended company offers (M17)
    company_offers_over_13_weeks: int = 0  # M17, RD-06
    offer_extensions: int = 0  # E13 count (M17)
    interrupted_placements: int = 0  # company offers ended with INTERRUPTED_* (M18)
    hours_initial: float | None = None  # weekly hours at the first company placement (M19)
    hours_latest: float | None = None
    hours_max: float | None = None
    hours_target: float | None = None  # ordinary-hours target from plan or offer
    # Hours steps: week since first company placement start -> weekly hours from then (M19).
    hours_weeks: list[int] = Field(default_factory=list)
    hours_values: list[float] = Field(default_factory=list)
    company_placements_with_mentor: int = 0  # M26 numerator (mentor active during placement)
    company_placements_goals_agreed_7d: int = 0  # M29 numerator
    parallel_efforts: int = 0  # M28
    parallel_overlaps_offer: bool = False  # M28: a parallel effort overlapped an offer

    # --- outcome (M25) ---
    outcome: str = ""  # §3.6 code of pathway.exited (E29), "" while open
    exit_at: datetime | None = None

    # --- bookkeeping ---
    last_event_at: datetime | None = None
    events_applied: int = Field(ge=0)
    version: int = Field(ge=0)
