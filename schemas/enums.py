"""Shared enums (domain.md §4.1, §4.3). Each value is the English code; the Danish term is kept
in `DANISH` so documentation and dashboards can show both."""

from __future__ import annotations

from enum import StrEnum


class SourceSystem(StrEnum):
    """Which system registered the event (§4.1)."""

    MUNICIPAL_CASE_SYSTEM = "MUNICIPAL_CASE_SYSTEM"
    PROJECT_REGISTRATION_SYSTEM = "PROJECT_REGISTRATION_SYSTEM"
    PROVIDER_SYSTEM = "PROVIDER_SYSTEM"
    PROGRESSION_TOOL = "PROGRESSION_TOOL"
    BENEFIT_SYSTEM = "BENEFIT_SYSTEM"
    REGISTER_DREAM = "REGISTER_DREAM"
    REGISTER_EINDKOMST = "REGISTER_EINDKOMST"
    SURVEY = "SURVEY"
    MANUAL = "MANUAL"


class ActorRole(StrEnum):
    """Role of the person or system that caused the event (§4.1)."""

    CITIZEN = "CITIZEN"
    RECEPTION_WORKER = "RECEPTION_WORKER"
    CASEWORKER = "CASEWORKER"
    COORDINATING_CASEWORKER = "COORDINATING_CASEWORKER"
    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    SOCIAL_MENTOR = "SOCIAL_MENTOR"
    COMPANY_MENTOR = "COMPANY_MENTOR"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    REHAB_TEAM = "REHAB_TEAM"
    HEALTH_SERVICES = "HEALTH_SERVICES"
    SOCIAL_SERVICES = "SOCIAL_SERVICES"
    SYSTEM = "SYSTEM"


class Programme(StrEnum):
    """Programme the pathway belongs to (§4.1)."""

    PRVIJ_2010 = "PRVIJ_2010"
    POOL_BRHS_MATCH2_2013 = "POOL_BRHS_MATCH2_2013"
    VC_RESSOURCEFORLOEB_2013 = "VC_RESSOURCEFORLOEB_2013"
    STV_2016 = "STV_2016"
    VCG2 = "VCG2"
    NONE = "NONE"


class TrialArm(StrEnum):
    """Randomised arm (§4.1, E26)."""

    TREATMENT = "TREATMENT"
    CONTROL = "CONTROL"


class Sensitivity(StrEnum):
    """Data-protection category of the event (§4.1, §8)."""

    NORMAL = "NORMAL"
    SOCIAL = "SOCIAL"
    HEALTH = "HEALTH"
    CRIMINAL = "CRIMINAL"


class Channel(StrEnum):
    """How the citizen made first contact (E1)."""

    PERSONAL = "PERSONAL"
    DIGITAL = "DIGITAL"
    PHONE = "PHONE"


class EntryReason(StrEnum):
    """Why the pathway starts (E1)."""

    NEW_APPLICATION = "NEW_APPLICATION"
    REAPPLICATION = "REAPPLICATION"
    REMATCH_INTO_TARGET_GROUP = "REMATCH_INTO_TARGET_GROUP"
    MOVED_IN = "MOVED_IN"
    FROM_OTHER_BENEFIT = "FROM_OTHER_BENEFIT"


class Benefit(StrEnum):
    """Benefit type (§4.3)."""

    CASH_BENEFIT = "CASH_BENEFIT"
    START_BENEFIT = "START_BENEFIT"
    EDUCATION_BENEFIT = "EDUCATION_BENEFIT"
    INTEGRATION_BENEFIT = "INTEGRATION_BENEFIT"
    SICKNESS_BENEFIT = "SICKNESS_BENEFIT"
    FLEXJOB_WAITING_BENEFIT = "FLEXJOB_WAITING_BENEFIT"
    UNEMPLOYMENT_INSURANCE = "UNEMPLOYMENT_INSURANCE"
    RESOURCE_PATHWAY_BENEFIT = "RESOURCE_PATHWAY_BENEFIT"
    EARLY_PENSION = "EARLY_PENSION"
    STUDENT_GRANT = "STUDENT_GRANT"
    NONE = "NONE"


class AgeBand(StrEnum):
    """Coarse age band (E1); never a birth date."""

    UNDER_25 = "UNDER_25"
    AGE_25_29 = "25_29"
    AGE_30_39 = "30_39"
    AGE_40_49 = "40_49"
    AGE_50_PLUS = "50_PLUS"


class ReceptionUnit(StrEnum):
    """Intake point (E1)."""

    MODTAGELSEN = "MODTAGELSEN"
    JOBBUTIKKEN = "JOBBUTIKKEN"
    OTHER = "OTHER"


class ClassificationScheme(StrEnum):
    """Match groups (pre-2014) or readiness (post-2014) (E3)."""

    MATCH_2010 = "MATCH_2010"
    READINESS_2014 = "READINESS_2014"


class MatchGroup(StrEnum):
    """Match group 1-3 (E3)."""

    MATCH_1_LABOUR_MARKET_READY = "MATCH_1_LABOUR_MARKET_READY"
    MATCH_2_EFFORT_READY = "MATCH_2_EFFORT_READY"
    MATCH_3_TEMPORARILY_PASSIVE = "MATCH_3_TEMPORARILY_PASSIVE"


class Readiness(StrEnum):
    """Readiness assessment after the 2014 reform (E3)."""

    JOB_READY = "JOB_READY"
    ACTIVITY_READY = "ACTIVITY_READY"
    EDUCATION_READY = "EDUCATION_READY"


class NextStep(StrEnum):
    """Next step decided at visitation (E3)."""

    PLAN = "PLAN"
    PRE_COURSE = "PRE_COURSE"
    COMPANY_PLACEMENT = "COMPANY_PLACEMENT"
    REHAB_TEAM = "REHAB_TEAM"
    OTHER = "OTHER"


class OfferType(StrEnum):
    """Offer type (§4.3); `COMPANY_ORIENTED` lists the company-oriented ones."""

    COMPANY_INTERNSHIP_PRIVATE = "COMPANY_INTERNSHIP_PRIVATE"
    COMPANY_INTERNSHIP_PUBLIC = "COMPANY_INTERNSHIP_PUBLIC"
    COMPANY_CENTRE_INTERNSHIP = "COMPANY_CENTRE_INTERNSHIP"
    WAGE_SUBSIDY_PRIVATE = "WAGE_SUBSIDY_PRIVATE"
    WAGE_SUBSIDY_PUBLIC = "WAGE_SUBSIDY_PUBLIC"
    ORDINARY_HOURS_PART_TIME = "ORDINARY_HOURS_PART_TIME"
    IPS_SUPPORTED_EMPLOYMENT = "IPS_SUPPORTED_EMPLOYMENT"
    JOB_ROTATION = "JOB_ROTATION"
    PRE_COURSE = "PRE_COURSE"
    COPING_COURSE = "COPING_COURSE"
    REHAB_AND_PERSONAL_DEVELOPMENT_COURSE = "REHAB_AND_PERSONAL_DEVELOPMENT_COURSE"
    DAILY_ACTIVITY_PROGRAMME = "DAILY_ACTIVITY_PROGRAMME"
    GUIDANCE_UPSKILLING = "GUIDANCE_UPSKILLING"
    COMPETENCE_ASSESSMENT = "COMPETENCE_ASSESSMENT"
    CLARIFICATION_COURSE = "CLARIFICATION_COURSE"
    JOB_CLUB = "JOB_CLUB"
    INTRO_JOB_SEARCH_COURSE = "INTRO_JOB_SEARCH_COURSE"
    CONVERSATIONS_ONLY = "CONVERSATIONS_ONLY"

    @property
    def is_company_oriented(self) -> bool:
        """True for activation at a real workplace (§4.3, "Company-oriented?" column)."""
        return self in COMPANY_ORIENTED


COMPANY_ORIENTED: frozenset[OfferType] = frozenset(
    {
        OfferType.COMPANY_INTERNSHIP_PRIVATE,
        OfferType.COMPANY_INTERNSHIP_PUBLIC,
        OfferType.COMPANY_CENTRE_INTERNSHIP,
        OfferType.WAGE_SUBSIDY_PRIVATE,
        OfferType.WAGE_SUBSIDY_PUBLIC,
        OfferType.ORDINARY_HOURS_PART_TIME,
        OfferType.IPS_SUPPORTED_EMPLOYMENT,
        OfferType.JOB_ROTATION,
    }
)


class ProviderType(StrEnum):
    """Who delivers the offer (E12)."""

    INTERNAL = "INTERNAL"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    COMPANY = "COMPANY"
    HEALTH_CENTRE = "HEALTH_CENTRE"
    SOCIAL_SERVICES = "SOCIAL_SERVICES"


class PublicOrPrivate(StrEnum):
    """Sector of the host company (E12)."""

    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


DANISH: dict[StrEnum, str] = {
    OfferType.COMPANY_INTERNSHIP_PRIVATE: "virksomhedspraktik (privat)",
    OfferType.COMPANY_INTERNSHIP_PUBLIC: "virksomhedspraktik (offentlig)",
    OfferType.COMPANY_CENTRE_INTERNSHIP: "praktik i virksomhedscenter",
    OfferType.WAGE_SUBSIDY_PRIVATE: "løntilskud (privat)",
    OfferType.WAGE_SUBSIDY_PUBLIC: "løntilskud (offentlig)",
    OfferType.ORDINARY_HOURS_PART_TIME: "ordinære timer / deltidsjob",
    OfferType.IPS_SUPPORTED_EMPLOYMENT: "IPS-forløb",
    OfferType.JOB_ROTATION: "jobrotation",
    OfferType.PRE_COURSE: "kursusforløb / intensivt for-forløb",
    OfferType.COPING_COURSE: "mestringskursus",
    OfferType.REHAB_AND_PERSONAL_DEVELOPMENT_COURSE: "fysisk genoptræning + personlig udvikling",
    OfferType.DAILY_ACTIVITY_PROGRAMME: "dagligt aktivitetsforløb",
    OfferType.GUIDANCE_UPSKILLING: "vejledning og opkvalificering (kap. 10)",
    OfferType.COMPETENCE_ASSESSMENT: "kompetenceafklaring",
    OfferType.CLARIFICATION_COURSE: "afklaringsforløb (JobSTI)",
    OfferType.JOB_CLUB: "jobklub",
    OfferType.INTRO_JOB_SEARCH_COURSE: "intro-forløb (CV, jobsøgning)",
    OfferType.CONVERSATIONS_ONLY: "samtaleforløb alene",
    MatchGroup.MATCH_1_LABOUR_MARKET_READY: "matchgruppe 1 / arbejdsmarkedsparat",
    MatchGroup.MATCH_2_EFFORT_READY: "matchgruppe 2 / indsatsklar",
    MatchGroup.MATCH_3_TEMPORARILY_PASSIVE: "matchgruppe 3",
    Readiness.JOB_READY: "jobparat",
    Readiness.ACTIVITY_READY: "aktivitetsparat",
    Readiness.EDUCATION_READY: "uddannelsesparat",
    Channel.PERSONAL: "personligt fremmøde",
    Channel.DIGITAL: "digitalt",
    Channel.PHONE: "telefonisk",
    Benefit.CASH_BENEFIT: "kontanthjælp",
    Benefit.START_BENEFIT: "starthjælp",
    Benefit.SICKNESS_BENEFIT: "sygedagpenge",
}
