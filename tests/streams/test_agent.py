"""The pathway agent in-process (Faust test_context): facts out, dead letters out."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from streams.agents import pathway_fold
from streams.app import app, dead_letter_topic, facts_topic
from streams.testing import Recorder
from tests.factories import T0, contact, offer, visitation


def test_agent_emits_facts_and_dead_letters() -> None:
    recorder = Recorder()

    async def run() -> None:
        app.finalize()
        app.flow_control.resume()
        with recorder.recording(facts_topic, dead_letter_topic):
            async with pathway_fold.test_context() as agent:
                first = json.dumps(contact()).encode()
                await agent.put(first, key=b"pw_test_0001")
                await agent.put(json.dumps(visitation(T0 + timedelta(days=2))).encode())
                await agent.put(json.dumps(offer(T0 + timedelta(days=9))).encode())
                await agent.put(first, key=b"pw_test_0001")  # duplicate delivery
                await agent.put(b"{bad", key=b"x")

    asyncio.run(run())
    facts = [json.loads(v) for _, v in recorder.sent[facts_topic.get_topic_name()]]
    assert [f["events_applied"] for f in facts] == [1, 2, 3, 3]
    assert facts[-1]["days_to_first_company_placement"] == 9
    letters = [json.loads(v) for _, v in recorder.sent[dead_letter_topic.get_topic_name()]]
    assert [d["reason"] for d in letters] == ["malformed_json"]
