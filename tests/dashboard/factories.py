"""A deterministic synthetic population of PathwayFacts, alerts and a watermark for the dashboard.

Region RAR_HOVEDSTADEN: København (101, 60 pathways, half of them in a trial), Brøndby (153,
30) and Glostrup (161, 3: below the small-cell threshold). Region RAR_FYN: Odense (461, 20),
which a Hovedstaden user must never see. Every value is chosen here, so tests can compute the
expected figures by hand from these rules rather than from the dashboard's code.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from consumers.clickhouse import ClickHouseWriter, connect
from consumers.rows import (
    ALERT_COLUMNS,
    FACT_COLUMNS,
    PROGRESS_COLUMNS,
    alert_row,
    fact_row,
    progress_row,
)
from pathwatch.settings import Settings
from schemas.alerts import Alert, AlertState, Severity
from schemas.facts import FUNNEL_STAGES, PathwayFact
from schemas.progress import OVERALL, Watermark
from schemas.tables import ALERTS, PATHWAY_FACTS, PROGRESS

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)  # the completeness watermark
REGION = "RAR_HOVEDSTADEN"
OTHER_REGION = "RAR_FYN"
MUNICIPALITIES = {
    "101": (REGION, 60),
    "153": (REGION, 30),
    "161": (REGION, 3),
    "461": (OTHER_REGION, 20),
}


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def fact(
    i: int,
    municipality: str,
    region: str,
    *,
    entry: datetime,
    placed_after_days: int | None,
    visited_after_days: int | None,
    trial_arm: str = "",
    outcome: str = "",
    exit_after_days: int | None = None,
    conversation_weeks: Sequence[int] = (),
    hours: tuple[list[int], list[float]] = ([0, 4], [12.0, 20.0]),
    prefix: str = "pw",
) -> PathwayFact:
    """One pathway; stages, state and hours follow from placement and exit."""
    placed = entry + timedelta(days=placed_after_days) if placed_after_days is not None else None
    visited = entry + timedelta(days=visited_after_days) if visited_after_days is not None else None
    exit_at = entry + timedelta(days=exit_after_days) if exit_after_days is not None else None
    stages = ["CONTACTED"] + (["ASSESSED", "PLANNED"] if visited else [])
    if placed:
        stages += ["IN_COMPANY_PLACEMENT"]
    if outcome in ("SELF_SUFFICIENT_JOB", "SELF_SUFFICIENT_EDUCATION"):
        stages += ["EXITED_JOB_OR_EDUCATION"]
    stage = max(stages, key=FUNNEL_STAGES.index)
    state = "EXITED" if exit_at else ("IN_COMPANY_PLACEMENT" if placed else stage)
    lost = stage if outcome.startswith("DROPOUT") else ""
    local = entry.date()
    return PathwayFact(
        pathway_id=f"{prefix}_{municipality}_{i:04d}",
        citizen_id=f"cz_{prefix}_{municipality}_{i:04d}",
        municipality_code=municipality,
        region_code=region,
        job_centre_id=f"jc{municipality}",
        programme_id="PRVIJ_2010" if trial_arm else "NONE",
        trial_arm=trial_arm,
        entry_at=entry,
        entry_week=_monday(local),
        entry_month=local.replace(day=1),
        visitation_at=visited,
        days_to_visitation=visited_after_days,
        visited_within_7_days=None if visited_after_days is None else visited_after_days <= 7,
        first_company_placement_at=placed,
        days_to_first_company_placement=placed_after_days,
        ever_company_oriented=placed is not None,
        internship_days=0 if placed_after_days is None else 70,
        conversation_weeks=list(conversation_weeks),
        conversations_held=len(conversation_weeks),
        stage_reached=stage,
        stages_reached=stages,
        lost_at_stage=lost,
        current_state=state,
        company_offers_started=1 if placed else 0,
        hours_initial=hours[1][0] if placed else None,
        hours_latest=hours[1][-1] if placed else None,
        hours_target=32.0 if placed else None,
        hours_weeks=hours[0] if placed else [],
        hours_values=hours[1] if placed else [],
        outcome=outcome,
        exit_at=exit_at,
        last_event_at=exit_at or placed or visited or entry,
        events_applied=3,
        version=3,
    )


def population(seed: int = 7) -> list[PathwayFact]:
    """The whole synthetic population (deterministic for a seed)."""
    rnd = random.Random(seed)
    out = []
    for muni, (region, n) in MUNICIPALITIES.items():
        for i in range(n):
            entry = NOW - timedelta(days=40 + (i * 11) % 300, hours=3)
            placed = 20 + (i * 7) % 90 if i % 3 != 0 else None
            arm = ("TREATMENT", "CONTROL")[i % 2] if muni == "101" and i < 30 else ""
            outcome, exit_days = "", None
            if i % 5 == 4:
                outcome = ("SELF_SUFFICIENT_JOB", "DROPOUT_MOTIVATION", "PRISON")[i % 3]
                exit_days = 200
                if (NOW - entry).days < 200:
                    outcome, exit_days = "", None
            weeks = [k for k in range(20) if rnd.random() < (0.8 if arm == "TREATMENT" else 0.2)]
            out.append(
                fact(
                    i,
                    muni,
                    region,
                    entry=entry,
                    placed_after_days=placed,
                    visited_after_days=3 + i % 9,
                    trial_arm=arm,
                    outcome=outcome,
                    exit_after_days=exit_days,
                    conversation_weeks=weeks,
                )
            )
    return out


def alert(pathway: PathwayFact, rule: str, name: str, age_days: int, version: int = 1) -> Alert:
    """An open alert for a pathway whose clock started `age_days` before NOW."""
    since = NOW - timedelta(days=age_days)
    return Alert(
        alert_key=f"{pathway.pathway_id}:{rule}",
        rule_id=rule,
        rule_name=name,
        rules_version=1,
        state=AlertState.DUE if age_days > 63 else AlertState.WARNING,
        severity=Severity.MEDIUM,
        pathway_id=pathway.pathway_id,
        citizen_id=pathway.citizen_id,
        municipality_code=pathway.municipality_code,
        region_code=pathway.region_code,
        job_centre_id=pathway.job_centre_id,
        since=since,
        deadline=since + timedelta(days=63),
        state_since=since,
        version=version,
    )


def alerts_for(facts: Sequence[PathwayFact]) -> list[Alert]:
    """A03 for every open pathway without a placement, A23 for every fourth open one."""
    out = []
    for f in facts:
        if f.exit_at is None and f.first_company_placement_at is None and f.entry_at:
            out.append(alert(f, "A03", "NO_COMPANY_PLACEMENT_BY_WEEK_9", (NOW - f.entry_at).days))
        elif f.exit_at is None and int(f.pathway_id[-4:]) % 4 == 0:
            out.append(alert(f, "A23", "STALLED_GENERIC", 45))
    return out


def watermark(at: datetime = NOW) -> Watermark:
    """An overall completeness watermark at `at`."""
    return Watermark(
        partition=OVERALL,
        watermark=at,
        max_event_time=at + timedelta(hours=1),
        events_seen=1000,
        events_applied=990,
        duplicates=10,
        emitted_at=datetime.now(UTC),
    )


def load(
    settings: Settings,
    facts: Sequence[PathwayFact],
    alerts: Sequence[Alert] = (),
    marks: Sequence[Watermark] = (),
) -> None:
    """Insert through the sinks' own writer and row mappers (consumers/) into ClickHouse."""
    client = connect(settings)
    written = datetime.now(UTC)
    ClickHouseWriter(client, PATHWAY_FACTS, FACT_COLUMNS).write(
        [fact_row(f, written) for f in facts]
    )
    ClickHouseWriter(client, ALERTS, ALERT_COLUMNS).write([alert_row(a, written) for a in alerts])
    ClickHouseWriter(client, PROGRESS, PROGRESS_COLUMNS).write(
        [progress_row(w, written) for w in marks]
    )
    client.disconnect()
