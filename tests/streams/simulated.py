"""Simulator event logs decoded to typed events, and a streaming-path driver for the tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from producers.simulator import Options, Rates, load, stream
from schemas.alerts import Alert
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from streams.alerts import AlertView
from streams.decode import Coordinates, decode
from streams.processor import Processor, view_of
from streams.ruleset import RuleSet
from streams.ruleset import load as load_rules

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@cache
def simulated(
    scenario: str, pathways: int, seed: int = 1, corrections: float = 0.0
) -> tuple[Envelope, ...]:
    """Every event of a simulator run (only corrections as faults), decoded like the worker does."""
    out = []
    options = Options(scenario, seed=seed, pathways=pathways, rates=Rates(correction=corrections))
    for offset, msg in enumerate(stream(load(), options)):
        ev = decode(msg.value, Coordinates("sim", 0, offset), NOW)
        assert isinstance(ev, Envelope), ev
        out.append(ev)
    return tuple(out)


class JsonTable(dict[str, Any]):
    """A dict that stores what a Faust table's changelog would give back (JSON round trip)."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, json.loads(json.dumps(value)))


class Streamed:
    """The final fact per pathway and the final alert per key the streaming path emitted."""

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self.table = JsonTable()
        self.processor = Processor(self.table, ruleset or load_rules())
        self.facts: dict[str, PathwayFact] = {}
        self.alerts: dict[str, Alert] = {}
        self.history: list[Alert] = []

    def feed(self, events: Iterable[Envelope], partition_of: Any = lambda _pid: 0) -> Streamed:
        """Process events in the given order."""
        for ev in events:
            out = self.processor.on_event(ev, partition_of(ev.pathway_id))
            for fact in out.facts:
                self.facts[fact.pathway_id] = fact
            for alert in out.alerts:
                self.alerts[alert.alert_key] = alert
                self.history.append(alert)
        return self

    def views(self) -> dict[str, AlertView]:
        """The last emitted alert per key, without its version."""
        return {k: view_of(a.model_dump(mode="json")) for k, a in self.alerts.items()}
