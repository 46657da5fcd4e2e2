"""Stalled-pathway alerts (domain.md §5.2) as they travel on the alerts topic and into ClickHouse.

One alert per (pathway, rule). Its `state` moves WARNING -> DUE -> OVERDUE on the event-time
clock and to RESOLVED when a later event clears the condition. Every change is emitted with a
`version` that grows per alert key, so the history table can keep every transition and an exact
read takes the highest version (argMax / FINAL).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AlertState(StrEnum):
    """Where a deadline rule stands on the event-time clock."""

    WARNING = "WARNING"  # ahead of the deadline: a caseworker can still act
    DUE = "DUE"  # the deadline has passed
    OVERDUE = "OVERDUE"  # past the deadline plus the rule's grace
    RESOLVED = "RESOLVED"  # a later event cleared the condition (retraction)


class Severity(StrEnum):
    """Severity from §5.2."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Alert(BaseModel):
    """The current state of one rule for one pathway."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alert_key: str  # f"{pathway_id}:{rule_id}", the Kafka key
    rule_id: str  # A01 ...
    rule_name: str  # VISITATION_OVERDUE ...
    rules_version: int  # version of the rules file the alert was evaluated with
    state: AlertState
    severity: Severity
    pathway_id: str
    citizen_id: str
    municipality_code: str
    region_code: str
    job_centre_id: str
    since: datetime  # event time the rule's clock started (e.g. contact for A01)
    deadline: datetime | None = None  # event time the condition becomes DUE
    state_since: datetime  # event time the current state began (deterministic from the rule)
    version: int = Field(ge=1)  # grows with every transition of this alert key
