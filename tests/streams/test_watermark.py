"""Watermarks reconcile every message, also on a partition that has seen only dead letters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.progress import NO_EVENT_TIME, OVERALL
from streams.processor import Processor, overall
from streams.ruleset import load
from tests.streams.simulated import JsonTable, simulated

NOW = datetime(2030, 1, 1, tzinfo=UTC)
RULES = load()


def test_dead_letters_only_partition_reports_its_counts_and_constrains_nothing() -> None:
    proc = Processor(JsonTable(), RULES)
    events = simulated("trial", 6, seed=4)
    for ev in events:
        proc.on_event(ev, 0)
    for _ in range(3):
        proc.on_dead_letter(1)
    assert proc.watermark(2, NOW) is None  # nothing seen at all: nothing to report

    only_dead = proc.watermark(1, NOW)
    assert only_dead is not None
    assert (only_dead.events_seen, only_dead.dead_letters, only_dead.events_applied) == (3, 3, 0)
    assert only_dead.watermark == only_dead.max_event_time == NO_EVENT_TIME

    busy = proc.watermark(0, NOW)
    assert busy is not None
    top = max(ev.occurred_at for ev in events)
    assert busy.max_event_time == top
    assert busy.watermark == top - RULES.allowed_lateness
    assert busy.events_seen == len(events)

    whole = overall([busy, only_dead], NOW)
    assert whole is not None
    assert whole.partition == OVERALL
    assert whole.watermark == busy.watermark  # the dead-letter-only partition is skipped
    assert whole.events_seen == len(events) + 3
    assert whole.dead_letters == 3


def test_overall_is_the_least_complete_partition_and_none_without_events() -> None:
    proc = Processor(JsonTable(), RULES)
    proc.on_dead_letter(0)
    only_dead = proc.watermark(0, NOW)
    assert only_dead is not None
    assert overall([only_dead], NOW) is None
    early, late = simulated("trial", 2, seed=1), simulated("trial", 2, seed=2)
    for ev in early:
        proc.on_event(ev, 1)
    for ev in late:
        proc.on_event(
            ev.model_copy(update={"occurred_at": ev.occurred_at + timedelta(days=400)}), 2
        )
    marks = [m for p in (0, 1, 2) if (m := proc.watermark(p, NOW)) is not None]
    whole = overall(marks, NOW)
    assert whole is not None
    assert whole.watermark == min(m.watermark for m in marks if m.partition != 0)
    assert whole.watermark < max(m.watermark for m in marks)
