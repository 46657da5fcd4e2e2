"""Per-pathway facts the stream emits (key = pathway id) and the sink writes to ClickHouse."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PathwayFact(BaseModel):
    """Latest derived facts of one pathway; `version` grows with every applied event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pathway_id: str
    citizen_id: str
    municipality_code: str
    job_centre_id: str
    contact_at: datetime | None = None
    visitation_at: datetime | None = None
    first_company_placement_at: datetime | None = None
    # M04: calendar days (Europe/Copenhagen) from first contact to first company placement.
    days_to_first_company_placement: int | None = None
    events_applied: int = Field(ge=0)
    version: int = Field(ge=0)
