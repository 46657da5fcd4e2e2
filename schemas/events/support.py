"""Support alongside the main track: E17 mentor.assigned / mentor.ended, E18
progression.measured, E19 parallel_effort.started / .ended (§3.1 principle 1, §3.4)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.enums import Sensitivity, danish
from schemas.envelope import Code, Envelope
from schemas.events.base import Part, WeeklyHours, require_sensitivity
from schemas.events.registry import register


@danish(
    {
        "SOCIAL_MENTOR": "social mentor",
        "COMPANY_MENTOR": "virksomhedsmentor",
        "CLUSTER_COORDINATOR_MENTOR": "central mentor / klyngekoordinator",
        "IPS_CONSULTANT": "IPS-konsulent",
        "JOB_HEALTH_MENTOR": "job- og sundhedsmentor",
    }
)
class MentorType(StrEnum):
    """Kind of mentor (E17; §3.4 mentor region)."""

    SOCIAL_MENTOR = "SOCIAL_MENTOR"
    COMPANY_MENTOR = "COMPANY_MENTOR"
    CLUSTER_COORDINATOR_MENTOR = "CLUSTER_COORDINATOR_MENTOR"
    IPS_CONSULTANT = "IPS_CONSULTANT"
    JOB_HEALTH_MENTOR = "JOB_HEALTH_MENTOR"


@danish({"JOB_CENTRE": "jobcenter", "COMPANY": "virksomhed", "EXTERNAL": "ekstern"})
class MentorOrg(StrEnum):
    """Where the mentor is employed (E17)."""

    JOB_CENTRE = "JOB_CENTRE"
    COMPANY = "COMPANY"
    EXTERNAL = "EXTERNAL"


@danish(
    {
        "NO_LONGER_NEEDED": "behov ophørt",
        "PLACEMENT_ENDED": "virksomhedsforløb afsluttet",
        "MENTOR_CHANGED": "skift af mentor",
        "PATHWAY_EXIT": "afsluttet forløb",
        "OTHER": "andet",
    }
)
class MentorEndReason(StrEnum):
    """Why mentor support ended (E17) [proposal: §4.2 names the field, not its values]."""

    NO_LONGER_NEEDED = "NO_LONGER_NEEDED"
    PLACEMENT_ENDED = "PLACEMENT_ENDED"
    MENTOR_CHANGED = "MENTOR_CHANGED"
    PATHWAY_EXIT = "PATHWAY_EXIT"
    OTHER = "OTHER"


@danish(
    {
        "HALSNAES_TOOL": "Halsnæs' progressionsværktøj",
        "MINVURDERING_DK": "Minvurdering.dk",
        "LOCAL_TOOL": "lokalt værktøj",
    }
)
class ProgressionTool(StrEnum):
    """Progression measurement tool (E18)."""

    HALSNAES_TOOL = "HALSNAES_TOOL"
    MINVURDERING_DK = "MINVURDERING_DK"
    LOCAL_TOOL = "LOCAL_TOOL"


@danish(
    {
        "MOTIVATION": "motivation",
        "PERSONAL_RESOURCES": "personlige ressourcer",
        "COMPETENCES": "kompetencer",
        "JOB_SEARCH": "jobsøgning",
        "WORK_ABILITY": "arbejdsevne",
        "HEALTH_SYMPTOMS": "helbredssymptomer",
    }
)
class Indicator(StrEnum):
    """Progression indicator (E18); HEALTH_SYMPTOMS is health data (§8.2)."""

    MOTIVATION = "MOTIVATION"
    PERSONAL_RESOURCES = "PERSONAL_RESOURCES"
    COMPETENCES = "COMPETENCES"
    JOB_SEARCH = "JOB_SEARCH"
    WORK_ABILITY = "WORK_ABILITY"
    HEALTH_SYMPTOMS = "HEALTH_SYMPTOMS"


@danish(
    {"CITIZEN_SELF": "borgerens egen vurdering", "CASEWORKER": "sagsbehandler", "JOINT": "fælles"}
)
class Assessor(StrEnum):
    """Who scored the progression (E18)."""

    CITIZEN_SELF = "CITIZEN_SELF"
    CASEWORKER = "CASEWORKER"
    JOINT = "JOINT"


@danish(
    {
        "PHYSICAL_REHAB": "genoptræning",
        "HEALTH_PROGRAMME": "sundhedstilbud",
        "PSYCHIATRIC_TREATMENT": "psykiatrisk behandling",
        "SUBSTANCE_ABUSE_TREATMENT": "misbrugsbehandling",
        "FAMILY_TREATMENT": "familiebehandling",
        "SUPPORT_CONTACT_PERSON": "støttekontaktperson",
        "FINANCIAL_COUNSELLING": "økonomisk rådgivning",
        "COACHING": "coaching",
        "HOUSING_SUPPORT": "boligstøtte",
    }
)
class EffortType(StrEnum):
    """Parallel social or health effort (E19, §3.4); always sensitive (§8.2, §8.3)."""

    PHYSICAL_REHAB = "PHYSICAL_REHAB"
    HEALTH_PROGRAMME = "HEALTH_PROGRAMME"
    PSYCHIATRIC_TREATMENT = "PSYCHIATRIC_TREATMENT"
    SUBSTANCE_ABUSE_TREATMENT = "SUBSTANCE_ABUSE_TREATMENT"
    FAMILY_TREATMENT = "FAMILY_TREATMENT"
    SUPPORT_CONTACT_PERSON = "SUPPORT_CONTACT_PERSON"
    FINANCIAL_COUNSELLING = "FINANCIAL_COUNSELLING"
    COACHING = "COACHING"
    HOUSING_SUPPORT = "HOUSING_SUPPORT"

    @property
    def sensitivity(self) -> Sensitivity:
        """The tag an event with this effort needs: HEALTH for treatment, else SOCIAL (§8)."""
        return Sensitivity.HEALTH if self in HEALTH_EFFORTS else Sensitivity.SOCIAL


HEALTH_EFFORTS = frozenset(
    {EffortType.PHYSICAL_REHAB, EffortType.HEALTH_PROGRAMME, EffortType.PSYCHIATRIC_TREATMENT}
)


@danish(
    {
        "SERVICELOVEN": "serviceloven",
        "HEALTH_LEGISLATION": "sundhedslovgivningen",
        "EMPLOYMENT_LEGISLATION": "beskæftigelseslovgivningen",
    }
)
class EffortLegalBasis(StrEnum):
    """Legislation the parallel effort is given under (E19; [001] "other legislation")."""

    SERVICELOVEN = "SERVICELOVEN"
    HEALTH_LEGISLATION = "HEALTH_LEGISLATION"
    EMPLOYMENT_LEGISLATION = "EMPLOYMENT_LEGISLATION"


@danish(
    {
        "SOCIAL_SERVICES": "socialforvaltning",
        "HEALTH_CENTRE": "sundhedscenter",
        "REGIONAL_PSYCHIATRY": "regionspsykiatrien",
        "GENERAL_PRACTITIONER": "egen læge",
        "SUBSTANCE_ABUSE_CENTRE": "misbrugscenter",
        "EXTERNAL_PROVIDER": "anden aktør",
        "OTHER": "andet",
    }
)
class ProviderUnit(StrEnum):
    """Unit delivering a parallel effort (E19) [proposal: §4.2 names the field only]."""

    SOCIAL_SERVICES = "SOCIAL_SERVICES"
    HEALTH_CENTRE = "HEALTH_CENTRE"
    REGIONAL_PSYCHIATRY = "REGIONAL_PSYCHIATRY"
    GENERAL_PRACTITIONER = "GENERAL_PRACTITIONER"
    SUBSTANCE_ABUSE_CENTRE = "SUBSTANCE_ABUSE_CENTRE"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    OTHER = "OTHER"


@register
class MentorAssigned(Envelope):
    """E17: mentor support started, often following the citizen into the company [000]."""

    event_type: Literal["mentor.assigned"] = "mentor.assigned"
    mentor_assignment_id: Code
    mentor_type: MentorType
    mentor_org: MentorOrg | None = None
    planned_hours_per_week: WeeklyHours | None = None
    paid_to_company: bool | None = None
    mentor_trained: bool | None = None
    linked_offer_id: Code | None = None


@register
class MentorEnded(Envelope):
    """E17: mentor support ended."""

    event_type: Literal["mentor.ended"] = "mentor.ended"
    mentor_assignment_id: Code
    mentor_type: MentorType | None = None
    total_hours: float | None = Field(default=None, ge=0, le=10000)
    end_reason: MentorEndReason = MentorEndReason.OTHER


class IndicatorScore(Part):
    """One scored indicator of a progression measurement."""

    code: Indicator
    score: float = Field(ge=0)
    scale_max: float = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _score_on_scale(self) -> IndicatorScore:
        if self.score > self.scale_max:
            raise ValueError(f"score {self.score} is above scale_max {self.scale_max}")
        return self


@register
class ProgressionMeasured(Envelope):
    """E18: a progression measurement (Halsnæs tool, Minvurdering.dk) [000, 002]."""

    event_type: Literal["progression.measured"] = "progression.measured"
    tool: ProgressionTool
    indicators: tuple[IndicatorScore, ...] = Field(min_length=1)
    assessor: Assessor
    linked_conversation_id: Code | None = None

    @model_validator(mode="after")
    def _health_is_tagged(self) -> ProgressionMeasured:
        if any(i.code is Indicator.HEALTH_SYMPTOMS for i in self.indicators):
            require_sensitivity(self, Sensitivity.HEALTH, "indicator HEALTH_SYMPTOMS")
        return self


class _Effort(Envelope):
    effort_id: Code | None = None
    effort_type: EffortType

    @model_validator(mode="after")
    def _effort_is_tagged(self) -> _Effort:
        require_sensitivity(self, self.effort_type.sensitivity, f"effort {self.effort_type.value}")
        return self


@register
class ParallelEffortStarted(_Effort):
    """E19: a social or health effort started in parallel with the employment track."""

    event_type: Literal["parallel_effort.started"] = "parallel_effort.started"
    legal_basis: EffortLegalBasis
    provider_unit: ProviderUnit | None = None
    coordinated_with_plan: bool = False


@register
class ParallelEffortEnded(_Effort):
    """E19: the parallel effort ended."""

    event_type: Literal["parallel_effort.ended"] = "parallel_effort.ended"
    legal_basis: EffortLegalBasis | None = None
