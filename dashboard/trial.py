"""M24: treatment versus control where a randomised trial (E26) is present in the selection."""

from __future__ import annotations

from typing import Any

from dashboard import stats
from dashboard.panels import Execute, _facts, _i
from dashboard.sql import EVER_COMPANY, Selection

JSON = dict[str, Any]

# (key, label, SQL numerator condition); denominators are all randomised pathways of the arm.
MEASURES = (
    ("employed", "exit to ordinary job (M21)", "outcome = 'SELF_SUFFICIENT_JOB'"),
    ("education", "exit to education (M22)", "outcome = 'SELF_SUFFICIENT_EDUCATION'"),
    ("company", "ever in company-oriented activation (M08)", EVER_COMPANY),
)


def treatment_vs_control(
    execute: Execute, db: str, sel: Selection, conversation: list[JSON], min_cell: int
) -> JSON | None:
    """Per arm: outcome and process shares, and treatment - control with a 95 % interval.

    None when the selection has no randomised pathways. An arm below min_cell citizens makes
    every figure of the panel suppressed (a difference would reveal the small arm).
    """
    cols = ", ".join(f"countIf({cond})" for _, _, cond in MEASURES)
    rows = execute(
        f"SELECT trial_arm, count(), uniqExact(citizen_id), sum(internship_days), {cols} "
        f"FROM {_facts(db)} WHERE {sel.facts_where()} AND trial_arm IN ('TREATMENT', 'CONTROL') "
        "GROUP BY trial_arm"
    )
    if not rows:
        return None
    arms = {str(r[0]): [_i(x) for x in r[1:]] for r in rows}
    small = any(arms.get(a, [0, 0])[1] < min_cell for a in ("TREATMENT", "CONTROL"))
    weekly = {s["arm"]: s["weeks"] for s in conversation}

    def conv_share(arm: str) -> tuple[float, int]:
        weeks = weekly.get(arm, [])
        total = sum(w["weeks"] for w in weeks)
        return (sum(w["held"] for w in weeks) / total if total else 0.0), total

    out: JSON = {"arms": {}, "differences": []}
    for arm in ("TREATMENT", "CONTROL"):
        n, citizens, internship_days, *nums = arms.get(arm, [0, 0, 0, 0, 0, 0])
        m = citizens if not small else 0
        share, _ = conv_share(arm)
        out["arms"][arm] = {
            "citizens": stats.count(m, min_cell),
            "conversation_share": stats.figure(round(share, 4), m, min_cell),
            "internship_weeks_mean": stats.figure(
                round(internship_days / 7 / n, 2) if n else None, m, min_cell
            ),
            **{
                key: stats.rate(num, n, m, min_cell)
                for (key, _, _), num in zip(MEASURES, nums, strict=True)
            },
        }
    if small:
        return out
    t, c = arms["TREATMENT"], arms["CONTROL"]
    for i, (key, label, _) in enumerate(MEASURES):
        diff, lo, hi = stats.diff_ci(t[3 + i] / t[0], t[0], c[3 + i] / c[0], c[0])
        out["differences"].append(
            {"measure": key, "label": label, "diff": diff, "ci_low": lo, "ci_high": hi}
        )
    (pt, nt), (pc, nc) = conv_share("TREATMENT"), conv_share("CONTROL")
    if nt and nc:
        diff, lo, hi = stats.diff_ci(pt, nt, pc, nc)
        out["differences"].append(
            {
                "measure": "conversation_share",
                "label": "weeks with a conversation (M10; citizen-weeks, not independent)",
                "diff": diff,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return out
