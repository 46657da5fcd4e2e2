"""The pathway agent in-process (Faust test_context): facts, alerts and dead letters out."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from streams.agents import pathway_fold
from streams.app import alerts_topic, app, dead_letter_topic, facts_topic
from streams.testing import Recorder
from tests.factories import T0, contact, offer, visitation


def _run(puts: list[tuple[bytes, bytes]]) -> Recorder:
    recorder = Recorder()

    async def run() -> None:
        app.finalize()
        app.flow_control.resume()
        with recorder.recording(facts_topic, dead_letter_topic, alerts_topic):
            async with pathway_fold.test_context() as agent:
                for key, value in puts:
                    await agent.put(value, key=key)

    asyncio.run(run())
    return recorder


def test_agent_emits_facts_and_dead_letters() -> None:
    first = json.dumps(contact()).encode()
    recorder = _run(
        [
            (b"pw_test_0001", first),
            (b"pw_test_0001", json.dumps(visitation(T0 + timedelta(days=2))).encode()),
            (b"pw_test_0001", json.dumps(offer(T0 + timedelta(days=9))).encode()),
            (b"pw_test_0001", first),  # duplicate delivery
            (b"x", b"{bad"),
        ]
    )
    facts = [json.loads(v) for _, v in recorder.sent[facts_topic.get_topic_name()]]
    assert [f["events_applied"] for f in facts] == [1, 2, 3, 3]
    assert facts[-1]["days_to_first_company_placement"] == 9
    letters = [json.loads(v) for _, v in recorder.sent[dead_letter_topic.get_topic_name()]]
    assert [d["reason"] for d in letters] == ["malformed_json"]


def test_clock_moved_by_another_pathway_raises_and_escalates_a01() -> None:
    # pw_clock_a makes contact and is never visited; only pw_clock_b's events move the clock.
    a = {"pathway_id": "pw_clock_a", "citizen_id": "cz_clock_a"}
    b = {"pathway_id": "pw_clock_b", "citizen_id": "cz_clock_b"}
    # Later than any event of the other test: the partition clock only moves forward.
    t1 = T0 + timedelta(days=400)
    puts = [(b"pw_clock_a", json.dumps(contact(t1, **a)).encode())]
    for day in (4, 7, 9, 16):
        # The clock is the highest event time minus 24 h lateness: day 6, 8, 15 ...
        puts.append((b"pw_clock_b", json.dumps(contact(t1 + timedelta(days=day), **b)).encode()))
    recorder = _run(puts)
    alerts = [json.loads(v) for _, v in recorder.sent[alerts_topic.get_topic_name()]]
    a01 = [x for x in alerts if x["alert_key"] == "pw_clock_a:A01"]
    assert [x["state"] for x in a01] == ["WARNING", "DUE", "OVERDUE"]
    assert [x["version"] for x in a01] == [1, 2, 3]
    assert a01[-1]["deadline"].startswith((t1 + timedelta(days=7)).date().isoformat())
    assert a01[-1]["severity"] == "high"
