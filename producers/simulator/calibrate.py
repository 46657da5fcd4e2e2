"""Calibration figures computed directly from generated events (docs/simulator.md).

Definitions follow domain.md §6.1: week k since entry counts from `trial.randomised` (M10);
company share is the ever-share within the horizon (M08); employment at week 64 is a
SELF_SUFFICIENT_JOB exit by then (M21); pre-course conversion is M14.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from schemas.enums import COMPANY_ORIENTED

COMPANY = {t.value for t in COMPANY_ORIENTED}
INTERNSHIP_TYPES = {
    "COMPANY_INTERNSHIP_PRIVATE",
    "COMPANY_INTERNSHIP_PUBLIC",
    "COMPANY_CENTRE_INTERNSHIP",
}


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def by_pathway(events: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Events grouped per pathway, in occurred_at order (ties by input order)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        out[e["pathway_id"]].append(e)
    for evs in out.values():
        evs.sort(key=lambda e: e["occurred_at"])
    return out


def trial_figures(events: Iterable[dict[str, Any]], horizon_weeks: int) -> dict[str, float]:
    """M10 weekly conversation share, M08 company share, M09 internship weeks, M21, per arm."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for evs in by_pathway(events).values():
        rand = next((e for e in evs if e["event_type"] == "trial.randomised"), None)
        if rand is None:
            continue
        arm, s = rand["arm"], sums[rand["arm"]]
        origin = _t(rand["occurred_at"]).date()
        horizon_end = _t(rand["occurred_at"]).replace(hour=0, minute=0) + _weeks(horizon_weeks)
        exit_ev = next((e for e in evs if e["event_type"] == "pathway.exited"), None)
        end = _t(exit_ev["occurred_at"]) if exit_ev else horizon_end
        weeks_active = min(horizon_weeks, ((end.date() - origin).days + 6) // 7)
        held = {
            (_t(e["occurred_at"]).date() - origin).days // 7
            for e in evs
            if e["event_type"] == "conversation.held"
        }
        s["pathways"] += 1
        s["weeks"] += weeks_active
        s["weeks_with_conversation"] += len({w for w in held if w < weeks_active})
        starts = {e["offer_id"]: e for e in evs if e["event_type"] == "offer.started"}
        ends = {
            e["offer_id"]: _t(e["occurred_at"]) for e in evs if e["event_type"] == "offer.ended"
        }
        company = [o for o in starts.values() if o["offer_type"] in COMPANY]
        s["company"] += bool(company)
        for o in company:
            if o["offer_type"] in INTERNSHIP_TYPES:
                stop = min(ends.get(o["offer_id"], horizon_end), horizon_end)
                s["internship_weeks"] += (stop - _t(o["occurred_at"])).days / 7
        if exit_ev and exit_ev["outcome"] == "SELF_SUFFICIENT_JOB" and end <= horizon_end:
            s["employed"] += 1
    out: dict[str, float] = {}
    for arm, s in sums.items():
        a = arm.lower()
        out[f"weekly_conversation_share_{a}"] = s["weeks_with_conversation"] / s["weeks"]
        out[f"company_share_{a}"] = s["company"] / s["pathways"]
        out[f"internship_weeks_{a}"] = s["internship_weeks"] / s["pathways"]
        out[f"employed_week_{horizon_weeks}_{a}"] = s["employed"] / s["pathways"]
        out[f"pathways_{a}"] = s["pathways"]
    if "internship_weeks_treatment" in out and "internship_weeks_control" in out:
        out["extra_internship_weeks"] = (
            out["internship_weeks_treatment"] - out["internship_weeks_control"]
        )
    return out


def precourse_conversion(events: Iterable[dict[str, Any]], days: int = 7) -> dict[str, float]:
    """M14: of pathways that complete a PRE_COURSE, the share starting a placement within days."""
    done = started = 0
    for evs in by_pathway(events).values():
        offers = {e["offer_id"]: e for e in evs if e["event_type"] == "offer.started"}
        for e in evs:
            if e["event_type"] != "offer.ended" or e["end_reason"] != "COMPLETED_AS_PLANNED":
                continue
            if offers[e["offer_id"]]["offer_type"] != "PRE_COURSE":
                continue
            done += 1
            end = _t(e["occurred_at"])
            started += any(
                o["offer_type"] in COMPANY
                and 0 <= (_t(o["occurred_at"]) - end).total_seconds() <= days * 86400
                for o in offers.values()
            )
    return {"internship_after_course_share": started / done if done else 0.0, "completed": done}


def _weeks(n: int) -> timedelta:
    return timedelta(weeks=n)


def company_stock_shares(events: Iterable[dict[str, Any]], horizon_weeks: int) -> dict[str, float]:
    """M06 in steady state: company-placement weeks / pathway weeks, per readiness group.

    With a constant intake the point-in-time share equals the share of pathway time spent in a
    company-oriented offer (Little's law), which is what the §6.4 national figures measure.
    Groups: JOB_READY, ACTIVITY_READY (not in a resource pathway), RESOURCE_PATHWAY.
    """
    company_weeks: dict[str, float] = defaultdict(float)
    weeks: dict[str, float] = defaultdict(float)
    for evs in by_pathway(events).values():
        visit = next((e for e in evs if e["event_type"] == "visitation.completed"), None)
        if visit is None or "readiness" not in visit:
            continue
        rp = any(e["event_type"] == "resource_pathway.started" for e in evs)
        group = "RESOURCE_PATHWAY" if rp else visit["readiness"]
        entry = _t(evs[0]["occurred_at"])
        horizon_end = _t(visit["occurred_at"]).replace(hour=0, minute=0) + _weeks(horizon_weeks)
        exits = [_t(e["occurred_at"]) for e in evs if e["event_type"] == "pathway.exited"]
        end = exits[0] if exits else horizon_end
        weeks[group] += (end - entry).total_seconds() / 604800
        ends = {
            e["offer_id"]: _t(e["occurred_at"]) for e in evs if e["event_type"] == "offer.ended"
        }
        for e in evs:
            if e["event_type"] == "offer.started" and e["offer_type"] in COMPANY:
                stop = min(ends.get(e["offer_id"], end), end)
                company_weeks[group] += (stop - _t(e["occurred_at"])).total_seconds() / 604800
    return {
        f"company_share_point_in_time_{g.lower()}": company_weeks[g] / w for g, w in weeks.items()
    }
