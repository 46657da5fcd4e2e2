"""The common envelope of every pathway event (domain.md §4.1)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from schemas import reference
from schemas.enums import ActorRole, Programme, Sensitivity, SourceSystem, TrialArm
from schemas.privacy import CprDetectedError, find_cpr


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# The pattern is for JSON Schema users (other languages); pydantic's own parser decides.
_RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
UtcDatetime = Annotated[
    AwareDatetime,
    AfterValidator(_to_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _RFC3339}),
]
"""A timezone-aware timestamp, normalised to UTC. Naive timestamps are rejected."""

Pseudonym = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{6,80}$")]
"""A pseudonymous token (keyed HMAC at the edge), never a CPR number (§8)."""

UNKNOWN_MUNICIPALITY = "unknown_municipality"
"""Error type of an unknown municipality code; decode() maps it to its own dead-letter reason."""


def _known_municipality(code: str) -> str:
    if not reference.is_known(code):
        # The code is not personal data, so the message may name it.
        raise PydanticCustomError(
            UNKNOWN_MUNICIPALITY, "unknown municipality code '{code}'", {"code": code}
        )
    return code


MunicipalityCode = Annotated[
    str,
    StringConstraints(pattern=r"^\d{3}$"),
    AfterValidator(_known_municipality),
    WithJsonSchema({"type": "string", "enum": sorted(reference.municipalities())}),
]
"""Three-digit DST municipality code of one of the 98 municipalities, e.g. 153 Brøndby (§2.2)."""

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
"""A short coded value: never free text (§8.7)."""


RAW_TEXT_SCANNED = "raw_text_scanned_for_cpr"
"""Validation-context flag: the caller already ran find_cpr over the whole raw message."""


def _schema_extra(schema: dict[str, Any], cls: type[Any]) -> None:
    """JSON Schema of one event type: its current schema_version is the only one it describes."""
    version = getattr(cls, "SCHEMA_VERSION", 1)
    props = schema.get("properties", {})
    if "schema_version" in props:
        props["schema_version"] = {
            "const": version,
            "default": version,
            "title": "Schema Version",
            "description": "Version of this event type's payload shape; older versions are "
            "lifted by upcasters in the pipeline (docs/events.md).",
            "type": "integer",
        }
    required = schema.setdefault("required", [])
    # A message without its type is a dead letter; one without a version is read as version 1.
    for name in ("event_type", "schema_version" if version > 1 else None):
        if name is not None and name in props and name not in required:
            required.insert(0, name)


class Envelope(BaseModel):
    """Fields every event carries; subclasses add `event_type` and their payload."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", use_enum_values=False, json_schema_extra=_schema_extra
    )

    # Each concrete event type declares its current version here; payloads carrying an
    # older version are lifted by upcasters before validation (schemas/events/registry.py).
    SCHEMA_VERSION: ClassVar[int] = 1

    event_id: UUID
    schema_version: int = Field(default=1, ge=1)
    occurred_at: UtcDatetime
    recorded_at: UtcDatetime
    ingested_at: UtcDatetime | None = None
    source_system: SourceSystem
    producer_id: Code
    citizen_id: Pseudonym
    pathway_id: Pseudonym
    municipality_code: MunicipalityCode
    job_centre_id: Code
    actor_role: ActorRole
    actor_id: Pseudonym | None = None
    programme_id: Programme = Programme.NONE
    trial_arm: TrialArm | None = None
    causation_id: Code | None = None
    correlation_id: Code | None = None
    sensitivity: Sensitivity = Sensitivity.NORMAL
    supersedes_event_id: UUID | None = None

    @model_validator(mode="before")
    @classmethod
    def _reject_cpr(cls, data: Any, info: ValidationInfo) -> Any:
        """Reject a CPR-like value in any field before anything else looks at it (§8.1)."""
        # schemas/decode.py scans the raw message text first; the field walk would repeat it.
        if not (isinstance(info.context, dict) and info.context.get(RAW_TEXT_SCANNED)):
            path = find_cpr(data)
            if path is not None:
                raise CprDetectedError(path)
        if isinstance(data, dict) and "schema_version" not in data:
            # Built in code: the current version. On the wire a missing version means 1, and
            # registry.upcast() lifts such a payload (and stamps the version) before this runs.
            data = {**data, "schema_version": cls.SCHEMA_VERSION}
        return data

    @model_validator(mode="after")
    def _check_version(self) -> Envelope:
        if self.schema_version != self.SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {self.schema_version} is not supported for this event type "
                f"(current: {self.SCHEMA_VERSION})"
            )
        return self
