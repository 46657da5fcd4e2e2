"""One small population whose panel figures are worked out by hand (comments below); checked on
chDB (test_panels_chdb.py) and on the real 18.16 server through the sinks' writer
(test_panels_server.py).

Six pathways enter Brøndby (153, RAR_HOVEDSTADEN) on Monday 2025-01-06; NOW is 2025-06-30.

| pathway | visited day | placed day | exit | arm | hours by week since placement |
| p0 | 2 | 10 | - | TREATMENT | 0: 12, 4: 20 |
| p1 | 9 | 20 | - | CONTROL | 0: 16 |
| p2 | 3 | 20 | - | TREATMENT | 0: 10, 2: 30 |
| p3 | 5 | - | day 30, DROPOUT_MOTIVATION | CONTROL | |
| p4 | 4 | - | - (censored at NOW, day 175) | TREATMENT | |
| p5 | 1 | 70 | - | CONTROL | 0: 12 |

One more pathway in Odense (461, RAR_FYN) must never count for RAR_HOVEDSTADEN. One in Aarhus
(751) carries only its timestamps, as facts did before the stream filled every field: the
flags it lacks (visited in 7 days, ever company-oriented, entry month, stages) are derived.
Faxe (320) has 5 pathways of 4 citizens (one came back): 5 pathways, but fewer than 5 citizens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from dashboard import alerts, panels, weekly
from dashboard.sql import Selection
from schemas.alerts import Alert
from schemas.facts import PathwayFact
from tests.dashboard.factories import NOW, alert, fact

Execute = Callable[[str], Sequence[Sequence[Any]]]
ENTRY = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
REGION = Selection("region", "RAR_HOVEDSTADEN")
BRONDBY = Selection("municipality", "153")


def facts() -> list[PathwayFact]:
    """The seven pathways of the table above."""
    rows = [
        (2, 10, None, "", "TREATMENT", ([0, 4], [12.0, 20.0]), [0, 1, 2]),
        (9, 20, None, "", "CONTROL", ([0], [16.0]), []),
        (3, 20, None, "", "TREATMENT", ([0, 2], [10.0, 30.0]), []),
        (5, None, 30, "DROPOUT_MOTIVATION", "CONTROL", ([], []), []),
        (4, None, None, "", "TREATMENT", ([], []), []),
        (1, 70, None, "", "CONTROL", ([0], [12.0]), []),
    ]
    out = [
        fact(
            i,
            "153",
            "RAR_HOVEDSTADEN",
            entry=ENTRY,
            visited_after_days=v,
            placed_after_days=p,
            exit_after_days=x,
            outcome=o,
            trial_arm=arm,
            hours=hours,
            conversation_weeks=weeks,
            prefix="c",
        )
        for i, (v, p, x, o, arm, hours, weeks) in enumerate(rows)
    ]
    out.append(
        fact(
            0, "461", "RAR_FYN", entry=ENTRY, visited_after_days=1, placed_after_days=5, prefix="c"
        )
    )
    out.append(
        PathwayFact(
            pathway_id="c_751_0000",
            citizen_id="cz_c_751_0000",
            municipality_code="751",
            region_code="RAR_OESTJYLLAND",
            job_centre_id="jc751",
            entry_at=ENTRY,
            visitation_at=ENTRY + timedelta(days=3),
            first_company_placement_at=ENTRY + timedelta(days=12),
            days_to_first_company_placement=12,
            events_applied=3,
            version=3,
        )
    )
    for i in range(5):
        again = fact(
            i,
            "320",
            "RAR_SJAELLAND",
            entry=ENTRY,
            visited_after_days=2,
            placed_after_days=None,
            conversation_weeks=[0],
            prefix="c",
        )
        if i == 4:  # the same citizen as pathway 0
            again = again.model_copy(update={"citizen_id": "cz_c_320_0000"})
        out.append(again)
    return out


def open_alerts() -> list[Alert]:
    """A03 for p4 (175 days old), A23 for p1 (45 days), A03 in Odense."""
    f = facts()
    return [
        alert(f[4], "A03", "NO_COMPANY_PLACEMENT_BY_WEEK_9", 175),
        alert(f[1], "A23", "STALLED_GENERIC", 45),
        alert(f[6], "A03", "NO_COMPANY_PLACEMENT_BY_WEEK_9", 100),
    ]


def check(execute: Execute, db: str) -> None:
    """Every panel of REGION / BRONDBY against the hand-worked values."""
    head = panels.headline(execute, db, REGION, NOW_S, 1)
    assert head["citizens"]["value"] == 6  # Odense excluded
    assert head["m01"]["value"] == 5 / 6  # visited <= 7 days: all but p1 (day 9)
    assert head["m04_median_days"]["value"] == 20  # upper middle of 10, 20, 20, 70
    assert head["m06_now"]["value"] == 4 / 5  # in placement now / open (p3 exited)
    assert head["m08"]["value"] == 4 / 6
    assert head["m04_by_week9"]["value"] == 3 / 6  # placed by day 63: p0, p1, p2
    # With the real threshold (5 citizens): 6 citizens show, 4 placed hide the median.
    head5 = panels.headline(execute, db, REGION, NOW_S, 5)
    assert head5["citizens"] == {"value": 6, "n": 6, "suppressed": False}
    assert head5["m04_median_days"] == {"value": None, "n": None, "suppressed": True}
    assert head5["m25_self_sufficient"]["suppressed"]  # 1 exit

    units = panels.breakdown(execute, db, REGION, NOW_S, 5)
    assert [u["unit"] for u in units] == ["153"]

    km = panels.placement_survival(execute, db, REGION, NOW_S, 1)
    # S(10) = 5/6, S(20) = 5/6 * 3/5 = 0.5, p3 censored at 30, S(70) = 0.5 * 1/2, p4 censored 175.
    pts = [(p["t"], round(p["s"], 4), p["at_risk"]) for p in km["km"]["points"]]
    assert pts == [(10, 0.8333, 6), (20, 0.5, 5), (30, 0.5, 3), (70, 0.25, 2), (175, 0.25, 1)]
    assert km["placed_within_weeks"]["8"]["value"] == 0.5
    assert km["histogram"][1]["placed"]["value"] == 1  # day 10 -> week 1
    assert km["histogram"][2]["placed"]["value"] == 2  # day 20 -> week 2
    km5 = panels.placement_survival(execute, db, REGION, NOW_S, 5)
    assert [p["t"] for p in km5["km"]["points"]] == [10, 20]  # fewer than 5 at risk: cut
    assert km5["km"]["suppressed_tail"] is True
    assert km5["placed_within_weeks"]["8"]["suppressed"]  # 2 at risk on day 56

    conv = {s["arm"]: s["weeks"] for s in weekly.conversation_rate(execute, db, REGION, NOW_S, 1)}
    assert conv["ALL"][0]["rate"]["value"] == 1 / 6  # only p0 talks in week 0
    # p3 exits on day 30 (Tuesday of week 4): complete weeks 0-3 only.
    assert conv["ALL"][3]["weeks"] == 6
    assert conv["ALL"][4]["weeks"] == 5
    assert conv["TREATMENT"][1]["rate"]["value"] == 1 / 3
    assert conv["CONTROL"][1]["rate"]["value"] == 0.0
    # NOW is Monday 2025-06-30: 25 complete weeks since the entry week.
    assert len(conv["ALL"]) == 25

    hours = {w["week"]: w for w in weekly.hours_progression(execute, db, REGION, NOW_S, 1)["weeks"]}
    assert hours[0]["mean"]["value"] == 12.5  # 12, 16, 10, 12
    assert hours[2]["mean"]["value"] == 17.5  # 12, 16, 30, 12
    assert hours[4]["mean"]["value"] == 19.5  # 20, 16, 30, 12
    assert hours[2]["reached_target"]["value"] == 0.0  # nobody at 32 h
    assert hours[0]["mean"]["n"] == 4
    hours5 = weekly.hours_progression(execute, db, REGION, NOW_S, 5)["weeks"]
    assert all(w["mean"]["suppressed"] for w in hours5)

    outcomes = panels.outcomes(execute, db, REGION, 1)
    assert outcomes == [
        {"outcome": "DROPOUT_MOTIVATION", "count": {"value": 1, "n": 1, "suppressed": False}}
    ]

    funnel = panels.funnel(execute, db, REGION, 1)
    reached = {s["stage"]: s["reached"]["value"] for s in funnel["stages"]}
    assert reached["CONTACTED"] == 6
    assert reached["IN_COMPANY_PLACEMENT"] == 4
    assert reached["PREPARATORY"] == 0
    assert [(x["stage"], x["outcome"]) for x in funnel["lost"]] == [
        ("PLANNED", "DROPOUT_MOTIVATION")
    ]
    stalled = {x["state"]: x["count"]["value"] for x in funnel["stalled"]}
    assert stalled == {"PLANNED": 1, "IN_COMPANY_PLACEMENT": 1}  # p4 (A03), p1 (A23)

    listed = alerts.open_alerts(execute, db, REGION, NOW_S, 1)
    assert [(a["pathway_id"], a["age_days"]) for a in listed["alerts"]] == [
        ("c_153_0004", 175),
        ("c_153_0001", 45),
    ]
    only = alerts.open_alerts(execute, db, REGION, NOW_S, 1, rule="A23")
    assert [a["rule_id"] for a in only["alerts"]] == ["A23"]
    by_age_asc = alerts.open_alerts(execute, db, REGION, NOW_S, 1, descending=False)
    assert by_age_asc["alerts"][0]["age_days"] == 45
    national = alerts.open_alerts(execute, db, Selection("national"), NOW_S, 1)
    assert len(national["alerts"]) == 3
    assert alerts.open_alerts(execute, db, REGION, NOW_S, 5)["total"]["suppressed"]

    muni = panels.headline(execute, db, BRONDBY, NOW_S, 1)
    assert muni["citizens"]["value"] == 6
    aarhus = Selection("municipality", "751")
    bare = panels.headline(execute, db, aarhus, NOW_S, 1)
    assert bare["m01"]["value"] == 1.0
    assert bare["m08"]["value"] == 1.0
    assert [c["cohort"] for c in panels.cohorts(execute, db, aarhus, NOW_S, 1)] == ["2025-01"]
    bare_funnel = {
        s["stage"]: s["reached"]["value"] for s in panels.funnel(execute, db, aarhus, 1)["stages"]
    }
    assert bare_funnel["ASSESSED"] == 1
    assert bare_funnel["IN_COMPANY_PLACEMENT"] == 1
    in_cohort = Selection("municipality", "751", "2025-01")
    assert panels.headline(execute, db, in_cohort, NOW_S, 1)["citizens"]["value"] == 1

    faxe = Selection("municipality", "320")
    five = panels.headline(execute, db, faxe, NOW_S, 5)
    assert five["pathways"]["suppressed"]  # 5 pathways, 4 citizens
    assert panels.headline(execute, db, faxe, NOW_S, 4)["citizens"]["value"] == 4
    faxe_conv = weekly.conversation_rate(execute, db, faxe, NOW_S, 5)[0]["weeks"]
    assert faxe_conv[0]["weeks"] == 5
    assert faxe_conv[0]["rate"]["suppressed"]  # 5 pathway-weeks, but 4 citizens
    assert (
        weekly.conversation_rate(execute, db, faxe, NOW_S, 4)[0]["weeks"][0]["rate"]["value"] == 1.0
    )

    cohort = panels.headline(
        execute, db, Selection("region", "RAR_HOVEDSTADEN", "2025-02"), NOW_S, 1
    )
    assert cohort["citizens"]["value"] == 0
