"""Every name Kafka can see, declared once.

Faust derives topic, changelog and agent names from module paths when they are not given
explicitly, so moving a function would silently rename a topic. All of them live here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Names:
    """Kafka-visible names for one namespace (one deployment, or one test)."""

    namespace: str

    @property
    def events(self) -> str:
        """Raw pathway events, key = pathway id (domain.md §4.1)."""
        return f"{self.namespace}.events.v1"

    @property
    def facts(self) -> str:
        """Per-pathway facts, compacted, key = pathway id."""
        return f"{self.namespace}.facts.pathway.v1"

    @property
    def dead_letters(self) -> str:
        """Messages that failed decoding or validation, with their reason."""
        return f"{self.namespace}.deadletter.v1"

    @property
    def alerts(self) -> str:
        """Stalled-pathway alerts (schemas/alerts.py), compacted, key = `<pathway>:<rule>`."""
        return f"{self.namespace}.alerts.v1"

    @property
    def progress(self) -> str:
        """Completeness watermarks (schemas/progress.py), compacted, key = partition."""
        return f"{self.namespace}.progress.v1"

    @property
    def app_id(self) -> str:
        """Faust application id (prefix of its changelog topics and consumer group)."""
        return f"{self.namespace}-worker"

    @property
    def pathway_table(self) -> str:
        """Faust table holding per-pathway state; changelog `<app_id>-<table>-changelog`."""
        return "pathway-state"

    @property
    def pathway_agent(self) -> str:
        """The agent that folds events into pathway state."""
        return "pathway-fold"

    @property
    def fact_sink_group(self) -> str:
        """Consumer group of the ClickHouse fact sink."""
        return f"{self.namespace}-sink-facts"

    @property
    def raw_sink_group(self) -> str:
        """Consumer group of the ClickHouse raw-event sink (audit, backfill, batch recompute)."""
        return f"{self.namespace}-sink-raw"

    @property
    def alert_sink_group(self) -> str:
        """Consumer group of the ClickHouse alert sink."""
        return f"{self.namespace}-sink-alerts"

    @property
    def dead_letter_sink_group(self) -> str:
        """Consumer group of the ClickHouse dead-letter sink."""
        return f"{self.namespace}-sink-deadletters"

    @property
    def progress_sink_group(self) -> str:
        """Consumer group of the ClickHouse progress (watermark) sink."""
        return f"{self.namespace}-sink-progress"

    def sink_groups(self) -> list[tuple[str, str]]:
        """(topic, consumer group) of every ClickHouse sink of `pathwatch sink all`."""
        return [
            (self.facts, self.fact_sink_group),
            (self.alerts, self.alert_sink_group),
            (self.events, self.raw_sink_group),
            (self.dead_letters, self.dead_letter_sink_group),
            (self.progress, self.progress_sink_group),
        ]

    def source_topics(self) -> list[str]:
        """Topics the project creates up front (Faust creates only its own changelogs)."""
        return [self.events, self.facts, self.dead_letters, self.alerts, self.progress]

    def compacted_topics(self) -> set[str]:
        """Topics whose latest value per key is what matters."""
        return {self.facts, self.alerts, self.progress}
