"""The conversation regime (domain.md §3.4, §4.2 E6-E8, RD-09/10/15, §6.7).

Each programme week k (week 1 starts at the visitation day) gets at most one scheduled
conversation, held or a no-show. Weekly regimes (trial treatment, Brøndby) schedule every week;
usual effort schedules with a low weekly probability (≈ every third month, RD-15).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from producers.simulator.context import PathwayContext, iso
from schemas.enums import ActorRole

NO_SHOW_REASONS = ("ILLNESS", "FORGOT", "UNREACHABLE", "UNKNOWN")


def run_conversations(
    p: PathwayContext, end_at: datetime, placements: list[tuple[datetime, datetime]]
) -> None:
    """E6 scheduled, then E7 held or E8 no-show, week by week until the exit or horizon."""
    d, tr, rng, sc = p.d, p.c.track, p.rng, p.scenario
    held_share = tr.held_share
    if tr.held_share_from == "job_centre_rates":
        held_share = sc.rate_for(p.c.municipality) or tr.held_share
    weekly = tr.weekly_conversation >= 1.0
    trial_weekly = weekly and p.c.arm == "TREATMENT"
    for week in range(1, sc.horizon_weeks + 1):
        if rng.random() >= tr.weekly_conversation:
            continue
        # Week 1: after the visitation on day 0.
        day = p.week_day(week, rng.randint(1, 4) if week == 1 else None)
        at = p.at_day(day)
        if at >= end_at:
            return
        in_placement = any(s <= at < e for s, e in placements)
        if trial_weekly:
            kind = "WEEKLY_TRIAL_CONVERSATION"
        elif tr.brondby_model and week <= tr.measures_weeks:
            kind = "JOB_CONVERSATION"
        else:
            kind = "FOLLOW_UP"
        workplace = in_placement and rng.random() < 0.5  # [proposal] alternate sites (§4.2 E7)
        if workplace:
            kind = "WORKPLACE_FOLLOW_UP"
        early = week <= d.in_person_weeks
        mode = (
            "IN_PERSON" if early or rng.random() >= d.phone_share_after_in_person_weeks else "PHONE"
        )
        if workplace:
            mode = "IN_PERSON"
        conv_id = p.new_id("cv")
        booked = at - timedelta(days=rng.randint(3, 6)) if week > 1 else p.at_day(0, 15)
        p.add(
            min(booked, at - timedelta(hours=1)),
            "conversation.scheduled",
            conversation_id=conv_id,
            scheduled_for=iso(at),
            conversation_type=kind,
            planned_mode=mode,
            booking_method="FIXED_WEEKLY_SLOT" if weekly else "LETTER",
            correlation_id=conv_id,
        )
        if rng.random() < held_share:
            role = "COMPANY_CONSULTANT" if in_placement and rng.random() < 0.5 else "CASEWORKER"
            participants = ["CITIZEN", role] + (["COMPANY"] if workplace else [])
            if in_placement:
                topics = ["WORK_TASKS", "MORE_HOURS"]
            elif early:
                topics = ["JOB_WISHES_EXPERIENCE", "PLACEMENT_PREPARATION"]
            else:
                topics = ["BARRIERS", "ORDINARY_JOB"]
            p.add(
                at,
                "conversation.held",
                actor_role=ActorRole(role),
                conversation_id=conv_id,
                conversation_type=kind,
                mode=mode,
                location="COMPANY" if workplace else "JOB_CENTRE",
                held_by_role=role,
                participants=participants,
                duration_minutes=d.conversation_minutes_early
                if early
                else d.conversation_minutes_late,
                topics=topics,
                homework_given=tr.brondby_model and week <= tr.measures_weeks,
                counts_toward_requirement=True,
                correlation_id=conv_id,
            )
        else:
            p.add(
                at,
                "conversation.no_show",
                conversation_id=conv_id,
                notified_in_advance=False,
                known_reason=rng.choice(NO_SHOW_REASONS),
                follow_up_action=rng.choice(["RESCHEDULED", "OUTREACH"]),
                correlation_id=conv_id,
            )
