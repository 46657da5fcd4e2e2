"""Shared enums (domain.md §4.1, §3.6, §4.3). Each value is the English code; its Danish term is
kept in `DANISH` so documentation, JSON Schema and dashboards can show both. Enums used by one
event family only live in that family's module (schemas/events/) and register their Danish terms
with the `danish` decorator, which refuses an enum with a value that has no term."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TypeVar

DANISH: dict[StrEnum, str] = {}
"""Danish term of every coded value of an event payload (tests/schemas check completeness)."""

_E = TypeVar("_E", bound=type[StrEnum])


def danish(terms: Mapping[str, str]) -> Callable[[_E], _E]:
    """Class decorator: record the Danish term of each value; every value needs exactly one."""

    def wrap(cls: _E) -> _E:
        values = {m.value for m in cls}
        if set(terms) != values:
            missing, extra = sorted(values - set(terms)), sorted(set(terms) - values)
            raise ValueError(f"{cls.__name__}: Danish terms missing {missing}, unknown {extra}")
        for member in cls:
            DANISH[member] = terms[member.value]
        return cls

    return wrap


def danish_term(value: StrEnum) -> str:
    """The Danish term of a coded value (KeyError if none was recorded)."""
    return DANISH[value]


@danish(
    {
        "MUNICIPAL_CASE_SYSTEM": "kommunalt sagssystem",
        "PROJECT_REGISTRATION_SYSTEM": "projektets registreringssystem",
        "PROVIDER_SYSTEM": "leverandørsystem (anden aktør, virksomhedscenter)",
        "PROGRESSION_TOOL": "progressionsværktøj (fx Minvurdering.dk)",
        "BENEFIT_SYSTEM": "ydelsessystem",
        "REGISTER_DREAM": "DREAM-registeret",
        "REGISTER_EINDKOMST": "eIndkomst-registeret",
        "SURVEY": "spørgeskemaundersøgelse",
        "MANUAL": "manuel registrering",
    }
)
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


@danish(
    {
        "CITIZEN": "borger",
        "RECEPTION_WORKER": "medarbejder i Modtagelsen",
        "CASEWORKER": "sagsbehandler / jobkonsulent",
        "COORDINATING_CASEWORKER": "koordinerende sagsbehandler",
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "SOCIAL_MENTOR": "social mentor",
        "COMPANY_MENTOR": "virksomhedsmentor",
        "EXTERNAL_PROVIDER": "anden aktør",
        "REHAB_TEAM": "rehabiliteringsteam",
        "HEALTH_SERVICES": "sundhedsvæsen",
        "SOCIAL_SERVICES": "socialforvaltning",
        "SYSTEM": "system (automatisk)",
    }
)
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


@danish(
    {
        "PRVIJ_2010": "På rette vej i job (forsøg 2010)",
        "POOL_BRHS_MATCH2_2013": "puljeprojekt for matchgruppe 2 (2013)",
        "VC_RESSOURCEFORLOEB_2013": "virksomhedscentre for borgere i ressourceforløb (2013)",
        "STV_2016": "Flere skal med / STV (2016)",
        "VCG2": "virksomhedscentre, 2. generation",
        "NONE": "intet program",
    }
)
class Programme(StrEnum):
    """Programme the pathway belongs to (§4.1)."""

    PRVIJ_2010 = "PRVIJ_2010"
    POOL_BRHS_MATCH2_2013 = "POOL_BRHS_MATCH2_2013"
    VC_RESSOURCEFORLOEB_2013 = "VC_RESSOURCEFORLOEB_2013"
    STV_2016 = "STV_2016"
    VCG2 = "VCG2"
    NONE = "NONE"


@danish({"TREATMENT": "deltagergruppe", "CONTROL": "kontrolgruppe"})
class TrialArm(StrEnum):
    """Randomised arm (§4.1, E26)."""

    TREATMENT = "TREATMENT"
    CONTROL = "CONTROL"


@danish(
    {
        "NORMAL": "almindelige oplysninger",
        "SOCIAL": "sociale forhold",
        "HEALTH": "helbredsoplysninger",
        "CRIMINAL": "strafbare forhold",
    }
)
class Sensitivity(StrEnum):
    """Data-protection category of the event (§4.1, §8)."""

    NORMAL = "NORMAL"
    SOCIAL = "SOCIAL"
    HEALTH = "HEALTH"
    CRIMINAL = "CRIMINAL"

    def covers(self, needed: Sensitivity) -> bool:
        """True if an event tagged `self` may carry data that needs `needed` (§8.2-§8.4).

        HEALTH topics are at least as restricted as SOCIAL ones; CRIMINAL is its own category.
        """
        if needed is Sensitivity.NORMAL or needed is self:
            return True
        return needed is Sensitivity.SOCIAL and self is Sensitivity.HEALTH


@danish({"PERSONAL": "personligt fremmøde", "DIGITAL": "digitalt", "PHONE": "telefonisk"})
class Channel(StrEnum):
    """How the citizen made first contact (E1)."""

    PERSONAL = "PERSONAL"
    DIGITAL = "DIGITAL"
    PHONE = "PHONE"


@danish(
    {
        "NEW_APPLICATION": "ny ansøgning",
        "REAPPLICATION": "fornyet ansøgning",
        "REMATCH_INTO_TARGET_GROUP": "om-matchet til målgruppen",
        "MOVED_IN": "tilflytter",
        "FROM_OTHER_BENEFIT": "fra anden ydelse",
    }
)
class EntryReason(StrEnum):
    """Why the pathway starts (E1)."""

    NEW_APPLICATION = "NEW_APPLICATION"
    REAPPLICATION = "REAPPLICATION"
    REMATCH_INTO_TARGET_GROUP = "REMATCH_INTO_TARGET_GROUP"
    MOVED_IN = "MOVED_IN"
    FROM_OTHER_BENEFIT = "FROM_OTHER_BENEFIT"


@danish(
    {
        "CASH_BENEFIT": "kontanthjælp",
        "START_BENEFIT": "starthjælp",
        "EDUCATION_BENEFIT": "uddannelseshjælp",
        "INTEGRATION_BENEFIT": "integrationsydelse",
        "SICKNESS_BENEFIT": "sygedagpenge",
        "FLEXJOB_WAITING_BENEFIT": "ledighedsydelse",
        "UNEMPLOYMENT_INSURANCE": "a-dagpenge",
        "RESOURCE_PATHWAY_BENEFIT": "ressourceforløbsydelse",
        "EARLY_PENSION": "førtidspension",
        "STUDENT_GRANT": "SU",
        "NONE": "ingen offentlig forsørgelse",
    }
)
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


@danish(
    {
        "UNDER_25": "under 25 år",
        "25_29": "25-29 år",
        "30_39": "30-39 år",
        "40_49": "40-49 år",
        "50_PLUS": "50 år og derover",
    }
)
class AgeBand(StrEnum):
    """Coarse age band (E1); never a birth date."""

    UNDER_25 = "UNDER_25"
    AGE_25_29 = "25_29"
    AGE_30_39 = "30_39"
    AGE_40_49 = "40_49"
    AGE_50_PLUS = "50_PLUS"


@danish({"MODTAGELSEN": "Modtagelsen", "JOBBUTIKKEN": "Jobbutikken", "OTHER": "andet"})
class ReceptionUnit(StrEnum):
    """Intake point (E1)."""

    MODTAGELSEN = "MODTAGELSEN"
    JOBBUTIKKEN = "JOBBUTIKKEN"
    OTHER = "OTHER"


@danish({"MATCH_2010": "matchgrupper", "READINESS_2014": "parathed (reform 2014)"})
class ClassificationScheme(StrEnum):
    """Match groups (pre-2014) or readiness (post-2014) (E3)."""

    MATCH_2010 = "MATCH_2010"
    READINESS_2014 = "READINESS_2014"


@danish(
    {
        "MATCH_1_LABOUR_MARKET_READY": "matchgruppe 1 / arbejdsmarkedsparat",
        "MATCH_2_EFFORT_READY": "matchgruppe 2 / indsatsklar",
        "MATCH_3_TEMPORARILY_PASSIVE": "matchgruppe 3 / midlertidigt passiv",
    }
)
class MatchGroup(StrEnum):
    """Match group 1-3 (E3)."""

    MATCH_1_LABOUR_MARKET_READY = "MATCH_1_LABOUR_MARKET_READY"
    MATCH_2_EFFORT_READY = "MATCH_2_EFFORT_READY"
    MATCH_3_TEMPORARILY_PASSIVE = "MATCH_3_TEMPORARILY_PASSIVE"


@danish(
    {
        "JOB_READY": "jobparat",
        "ACTIVITY_READY": "aktivitetsparat",
        "EDUCATION_READY": "uddannelsesparat",
    }
)
class Readiness(StrEnum):
    """Readiness assessment after the 2014 reform (E3)."""

    JOB_READY = "JOB_READY"
    ACTIVITY_READY = "ACTIVITY_READY"
    EDUCATION_READY = "EDUCATION_READY"


@danish(
    {
        "PLAN": "plan",
        "PRE_COURSE": "for-forløb",
        "COMPANY_PLACEMENT": "virksomhedsrettet tilbud",
        "REHAB_TEAM": "rehabiliteringsteam",
        "OTHER": "andet",
    }
)
class NextStep(StrEnum):
    """Next step decided at visitation (E3)."""

    PLAN = "PLAN"
    PRE_COURSE = "PRE_COURSE"
    COMPANY_PLACEMENT = "COMPANY_PLACEMENT"
    REHAB_TEAM = "REHAB_TEAM"
    OTHER = "OTHER"


@danish(
    {
        "COMPANY_INTERNSHIP_PRIVATE": "virksomhedspraktik (privat)",
        "COMPANY_INTERNSHIP_PUBLIC": "virksomhedspraktik (offentlig)",
        "COMPANY_CENTRE_INTERNSHIP": "praktik i virksomhedscenter",
        "WAGE_SUBSIDY_PRIVATE": "løntilskud (privat)",
        "WAGE_SUBSIDY_PUBLIC": "løntilskud (offentlig)",
        "ORDINARY_HOURS_PART_TIME": "ordinære timer / deltidsjob",
        "IPS_SUPPORTED_EMPLOYMENT": "IPS-forløb",
        "JOB_ROTATION": "jobrotation",
        "PRE_COURSE": "kursusforløb / intensivt for-forløb",
        "COPING_COURSE": "mestringskursus / mestringsforløb",
        "REHAB_AND_PERSONAL_DEVELOPMENT_COURSE": "fysisk genoptræning + personlig udvikling",
        "DAILY_ACTIVITY_PROGRAMME": "dagligt aktivitetsforløb",
        "GUIDANCE_UPSKILLING": "vejledning og opkvalificering (kap. 10)",
        "COMPETENCE_ASSESSMENT": "kompetenceafklaring",
        "CLARIFICATION_COURSE": "afklaringsforløb (JobSTI)",
        "JOB_CLUB": "jobklub / motiverende jobsamtaleforløb",
        "INTRO_JOB_SEARCH_COURSE": "intro-forløb (CV, jobsøgning)",
        "CONVERSATIONS_ONLY": "samtaleforløb alene",
    }
)
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


@danish(
    {
        "INTERNAL": "internt (KompetenceCentret / jobcenter)",
        "EXTERNAL_PROVIDER": "anden aktør",
        "COMPANY": "virksomhed",
        "HEALTH_CENTRE": "sundhedscenter",
        "SOCIAL_SERVICES": "socialforvaltning",
    }
)
class ProviderType(StrEnum):
    """Who delivers the offer (E12)."""

    INTERNAL = "INTERNAL"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    COMPANY = "COMPANY"
    HEALTH_CENTRE = "HEALTH_CENTRE"
    SOCIAL_SERVICES = "SOCIAL_SERVICES"


@danish({"PUBLIC": "offentlig", "PRIVATE": "privat"})
class PublicOrPrivate(StrEnum):
    """Sector of the host company (E12)."""

    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


@danish(
    {
        "RECEPTION_MEETING": "første møde i Modtagelsen",
        "ASSESSMENT_INTERVIEW": "visitationssamtale",
        "MOTIVATIONAL": "motiverende samtale",
        "JOB_CONVERSATION": "jobsamtale",
        "FOLLOW_UP": "opfølgende samtale / opfølgningssamtale",
        "WEEKLY_TRIAL_CONVERSATION": "ugentlig samtale (forsøg)",
        "ROUND_TABLE": "rundbordssamtale",
        "WORKPLACE_FOLLOW_UP": "opfølgningsmøde på virksomheden",
        "COACHING_SESSION": "coachende samtale / coachtime",
        "NETWORK_MEETING": "netværksmøde",
        "REHAB_TEAM_MEETING": "rehabiliteringsteammøde",
        "CASE_CONFERENCE": "Konferenceforum",
        "STATUS_REVIEW": "statussamtale",
    }
)
class ConversationType(StrEnum):
    """Conversation type (§4.3; E6, E7)."""

    RECEPTION_MEETING = "RECEPTION_MEETING"
    ASSESSMENT_INTERVIEW = "ASSESSMENT_INTERVIEW"
    MOTIVATIONAL = "MOTIVATIONAL"
    JOB_CONVERSATION = "JOB_CONVERSATION"
    FOLLOW_UP = "FOLLOW_UP"
    WEEKLY_TRIAL_CONVERSATION = "WEEKLY_TRIAL_CONVERSATION"
    ROUND_TABLE = "ROUND_TABLE"
    WORKPLACE_FOLLOW_UP = "WORKPLACE_FOLLOW_UP"
    COACHING_SESSION = "COACHING_SESSION"
    NETWORK_MEETING = "NETWORK_MEETING"
    REHAB_TEAM_MEETING = "REHAB_TEAM_MEETING"
    CASE_CONFERENCE = "CASE_CONFERENCE"
    STATUS_REVIEW = "STATUS_REVIEW"


@danish(
    {
        "SELF_SUFFICIENT_JOB": "selvforsørgelse - job / ordinært job",
        "SELF_SUFFICIENT_EDUCATION": "selvforsørgelse - uddannelse / ordinær uddannelse",
        "PART_TIME_WITH_TOP_UP": "deltidsbeskæftigelse med supplerende kontanthjælp",
        "FLEX_JOB": "delvis selvforsørgelse (fleksjob)",
        "WAGE_SUBSIDY_JOB": "job med løntilskud",
        "INDIVIDUAL_INTERNSHIP_OR_WAGE_SUBSIDY": "individuel virksomhedspraktik/løntilskud",
        "EARLY_RETIREMENT_PENSION": "førtidspension",
        "RESOURCE_PATHWAY": "overgang til ressourceforløb",
        "MOVED_MUNICIPALITY": "flyttet kommune",
        "PARENTAL_LEAVE": "barsel",
        "DROPOUT_MOTIVATION": "frafald - manglende motivation",
        "DROPOUT_ATTENDANCE": "frafald - manglende fremmøde",
        "PRISON": "fængsel",
        "OTHER_BENEFIT": "overgang til anden ydelse",
        "CENSORED": "fortsat i forløb ved observationens afslutning",
    }
)
class Outcome(StrEnum):
    """How a pathway ends (§3.6; E29 `pathway.exited.outcome`)."""

    SELF_SUFFICIENT_JOB = "SELF_SUFFICIENT_JOB"
    SELF_SUFFICIENT_EDUCATION = "SELF_SUFFICIENT_EDUCATION"
    PART_TIME_WITH_TOP_UP = "PART_TIME_WITH_TOP_UP"
    FLEX_JOB = "FLEX_JOB"
    WAGE_SUBSIDY_JOB = "WAGE_SUBSIDY_JOB"
    INDIVIDUAL_INTERNSHIP_OR_WAGE_SUBSIDY = "INDIVIDUAL_INTERNSHIP_OR_WAGE_SUBSIDY"
    EARLY_RETIREMENT_PENSION = "EARLY_RETIREMENT_PENSION"
    RESOURCE_PATHWAY = "RESOURCE_PATHWAY"
    MOVED_MUNICIPALITY = "MOVED_MUNICIPALITY"
    PARENTAL_LEAVE = "PARENTAL_LEAVE"
    DROPOUT_MOTIVATION = "DROPOUT_MOTIVATION"
    DROPOUT_ATTENDANCE = "DROPOUT_ATTENDANCE"
    PRISON = "PRISON"
    OTHER_BENEFIT = "OTHER_BENEFIT"
    CENSORED = "CENSORED"
