"""The fold's cost per event against the length of the pathways (issue 15, `make bench`).

`python -m bench.fold [--lengths 20 50 100] [--pathways 300]` builds `--pathways` pathways of
each length (contact, visitation, plan, a company placement, then weekly conversations with
hours changes and a new placement every quarter, as a long pathway looks), interleaves them by
event time as a replay of history does, and folds them through streams/processor.py in batches
of BATCH_MAX over 4 partitions, facts and alerts included, the table a plain dict. It prints
CPU microseconds per event for each length (process time, so other work on the machine does
not count): a fold whose cost grows with the pathway shows a
higher figure for the longer ones.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.envelope import Envelope
from schemas.events import EVENT_TYPES
from streams.batch import key_partition
from streams.processor import BATCH_MAX, Processor
from streams.ruleset import load as load_rules

T0 = datetime(2022, 1, 3, 8, tzinfo=UTC)
PARTITIONS = 4


def _event(pid: str, n: int, kind: str, at: datetime, **fields: Any) -> Envelope:
    cls = EVENT_TYPES[kind]
    body: dict[str, Any] = {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{pid}:{n}")),
        "event_type": kind,
        "schema_version": cls.SCHEMA_VERSION,
        "occurred_at": at.isoformat(),
        "recorded_at": at.isoformat(),
        "source_system": "MUNICIPAL_CASE_SYSTEM",
        "producer_id": "bench",
        "citizen_id": f"cz_{pid}",
        "pathway_id": pid,
        "municipality_code": "751",
        "job_centre_id": "jc_751",
        "actor_role": "CASEWORKER",
        **fields,
    }
    return cls.model_validate(body)


def pathway(index: int, length: int) -> list[Envelope]:
    """One pathway of `length` events."""
    pid = f"pw_fold_{length}_{index:05d}"
    start = T0 + timedelta(hours=7 * index)
    out = [
        _event(pid, 0, "contact.initiated", start, channel="PERSONAL",
               entry_reason="NEW_APPLICATION"),
        _event(pid, 1, "visitation.completed", start + timedelta(days=5),
               classification_scheme="READINESS_2014", readiness="ACTIVITY_READY"),
        _event(pid, 2, "plan.created", start + timedelta(days=6), plan_id=f"{pid}_plan",
               plan_type="JOB_PLAN"),
    ]  # fmt: skip
    offer, week = 0, 0

    def place(at: datetime) -> None:
        out.append(_event(pid, len(out), "offer.started", at, offer_id=f"{pid}_o{offer}",
                          offer_type="COMPANY_INTERNSHIP_PRIVATE", provider_type="COMPANY",
                          hours_per_week=15, goals_agreed=True))  # fmt: skip

    place(start + timedelta(days=9))
    while len(out) < length:
        week += 1
        at = start + timedelta(days=9 + 7 * week)
        if week % 13 == 0:
            out.append(_event(pid, len(out), "offer.ended", at, offer_id=f"{pid}_o{offer}",
                              end_reason="COMPLETED_AS_PLANNED"))  # fmt: skip
            offer += 1
            place(at + timedelta(days=1))
        elif week % 4 == 0:
            out.append(_event(pid, len(out), "placement.hours_changed", at,
                              offer_id=f"{pid}_o{offer}", new_hours=15 + week % 20,
                              initiated_by="COMPANY",
                              effective_date=at.date().isoformat()))  # fmt: skip
        else:
            out.append(_event(pid, len(out), "conversation.held", at,
                              conversation_id=f"{pid}_c{week}", conversation_type="FOLLOW_UP",
                              mode="IN_PERSON", held_by_role="CASEWORKER"))  # fmt: skip
    return out[:length]


def fold_cost(length: int, pathways: int) -> dict[str, Any]:
    """Fold `pathways` pathways of `length` events each, interleaved by time; µs per event."""
    events = [e for i in range(pathways) for e in pathway(i, length)]
    events.sort(key=lambda e: (e.occurred_at, str(e.event_id)))
    proc = Processor({}, load_rules())
    offsets = [0] * PARTITIONS
    began = time.process_time()  # CPU time: the fold alone, whatever else the machine runs
    alerts = facts = 0
    for i in range(0, len(events), BATCH_MAX):
        proc.begin()
        for event in events[i : i + BATCH_MAX]:
            partition = key_partition(event.pathway_id, PARTITIONS)
            out = proc.on_event(event, partition, offsets[partition])
            offsets[partition] += 1
            alerts += len(out.alerts)
        flushed = proc.flush()
        facts += len(flushed.facts)
    seconds = time.process_time() - began
    return {
        "events_per_pathway": length,
        "pathways": pathways,
        "events": len(events),
        "us_per_event": round(1e6 * seconds / len(events), 1),
        "alerts": alerts,
        "facts": facts,
    }


def run(lengths: list[int], pathways: int) -> dict[str, Any]:
    """Each length's cost, and the longest's cost over the shortest's."""
    rows = [fold_cost(n, pathways) for n in lengths]
    return {
        "rows": rows,
        "growth": round(rows[-1]["us_per_event"] / rows[0]["us_per_event"], 2),
    }


def main() -> None:
    """Print the fold's cost per event at each pathway length."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lengths", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--pathways", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(sorted(args.lengths), args.pathways)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for row in result["rows"]:
        print(
            f"{row['events_per_pathway']:>4} events/pathway  {row['us_per_event']:>8.1f} µs/event"
            f"  ({row['events']} events, {row['facts']} facts, {row['alerts']} alerts)"
        )
    print(f"cost at {args.lengths[-1]} / cost at {args.lengths[0]}: {result['growth']}")


if __name__ == "__main__":
    main()
