"""A hand-written event produced with kcat is accepted by the real worker (wire format, §4.1).

The literals below are what a new source's developer would type: if the documented wire format
and the worker drift apart, this test fails.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from pathwatch.stack import StackError, apt
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.schemas.docs_examples import EVENTS_MD, sections

pytestmark = pytest.mark.e2e

GOOD = (
    '{"event_id": "6f1c2a9e-2b7d-4c1e-9a3f-0d2b8e7c5a11", "event_type": "contact.initiated", '
    '"schema_version": 1, "occurred_at": "2024-03-04T09:30:00+01:00", '
    '"recorded_at": "2024-03-04T09:35:00+01:00", "source_system": "MUNICIPAL_CASE_SYSTEM", '
    '"producer_id": "kcat", "citizen_id": "cz_kcat_0001", "pathway_id": "pw_kcat_0001", '
    '"municipality_code": "153", "job_centre_id": "jc_153", "actor_role": "CASEWORKER", '
    '"channel": "PERSONAL", "entry_reason": "NEW_APPLICATION"}'
)
# Same shape, but 999 is not one of the 98 municipalities.
BAD = GOOD.replace("6f1c2a9e", "7a2d3b0f").replace('"153"', '"999"').replace("0001", "0002")


@pytest.fixture(scope="session")
def kcat() -> str:
    """kcat from Debian, installed the way the stack installs its packages."""
    try:
        return apt.ensure("kcat", ["kcat"])
    except StackError as exc:
        pytest.fail(f"kcat is needed for this test: {exc}")


def run_kcat(kcat: str, args: list[str], stdin: str = "", timeout: float = 60) -> str:
    result = subprocess.run(
        [kcat, *args], input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"kcat {' '.join(args)}: {result.stderr}"
    return result.stdout


def test_hand_written_events_through_kcat(pipeline: Pipeline, kcat: str) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    broker = pipe.settings.kafka.bootstrap
    pipe.cli("topics")
    pipe.start("worker", "worker")

    stdin = f"pw_kcat_0001:{GOOD}\npw_kcat_0002:{BAD}\n"
    run_kcat(kcat, ["-P", "-b", broker, "-t", names.events, "-K:"], stdin)

    def consume(topic: str) -> tuple[str, dict[str, object]]:
        # -c 1: wait for the first message; the worker writes it once it has read the input.
        out = run_kcat(
            kcat,
            ["-C", "-q", "-b", broker, "-t", topic, "-o", "beginning", "-c", "1", "-f", "%k\t%s\n"],
            timeout=120,
        )
        key, value = out.rstrip("\n").split("\t", 1)
        return key, json.loads(value)

    key, fact = consume(names.facts)
    assert key == "pw_kcat_0001"
    assert fact["pathway_id"] == "pw_kcat_0001"
    assert fact["municipality_code"] == "153"

    _, letter = consume(names.dead_letters)
    assert letter["reason"] == "unknown_municipality"
    assert "unknown municipality code '999'" in str(letter["detail"])
    assert letter["source_topic"] == names.events


def test_every_documented_example_through_kcat(pipeline: Pipeline, kcat: str) -> None:
    """The docs/events.md examples, sent with the page's kcat command line, are all accepted."""
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    broker = pipe.settings.kafka.bootstrap
    assert "-K '\\t'" in EVENTS_MD.read_text(encoding="utf-8")
    examples = [json.loads(s.example) for s in sections()]
    pathway = examples[0]["pathway_id"]
    assert {e["pathway_id"] for e in examples} == {pathway}
    pipe.cli("topics")
    pipe.start("worker", "worker")
    lines = "".join(f"{e['pathway_id']}\t{json.dumps(e, ensure_ascii=False)}\n" for e in examples)
    run_kcat(kcat, ["-P", "-b", broker, "-t", names.events, "-K", "\\t"], lines)

    # One fact per applied event; the last one has applied every example (none dead-lettered).
    deadline = time.monotonic() + 120
    applied = 0
    while time.monotonic() < deadline and applied < len(examples):
        out = run_kcat(
            kcat,
            ["-C", "-q", "-e", "-b", broker, "-t", names.facts, "-o", "beginning", "-f", "%s\n"],
        )
        facts = [json.loads(line) for line in out.splitlines() if line.strip()]
        applied = max((f["events_applied"] for f in facts if f["pathway_id"] == pathway), default=0)
        time.sleep(1)
    assert applied == len(examples)
    letters = run_kcat(
        kcat, ["-C", "-q", "-e", "-b", broker, "-t", names.dead_letters, "-o", "beginning"]
    )
    assert letters.strip() == ""
