"""Event models (domain.md §4.2), one module per family. Importing this package registers every
event type with schemas.events.registry (decoding, docs and JSON Schema export use it)."""

from schemas.envelope import Envelope
from schemas.events.benefits import BenefitChanged, EmploymentHoursReported, SanctionImposed
from schemas.events.casework import CaseAssigned, CaseHandedOver, ReferralAccepted, ReferralMade
from schemas.events.conversations import (
    ContactAttempted,
    ConversationCancelled,
    ConversationHeld,
    ConversationNoShow,
    ConversationScheduled,
)
from schemas.events.exits import PathwayExited
from schemas.events.intake import (
    ContactInitiated,
    MatchChanged,
    ReadinessChanged,
    ScreeningCompleted,
    VisitationCompleted,
)
from schemas.events.offers import (
    OfferEnded,
    OfferExtended,
    OfferStarted,
    PlacementHoursChanged,
    PlacementReview,
)
from schemas.events.plans import PlanCreated, PlanUpdated
from schemas.events.registry import EVENT_TYPES, upcast
from schemas.events.rehab import (
    ExemptionEnded,
    ExemptionStarted,
    RehabTeamRecommendation,
    ResourcePathwayEnded,
    ResourcePathwayStarted,
)
from schemas.events.support import (
    MentorAssigned,
    MentorEnded,
    ParallelEffortEnded,
    ParallelEffortStarted,
    ProgressionMeasured,
)
from schemas.events.trial import TrialRandomised

Event = Envelope
"""Any registered pathway event (all share the envelope)."""

__all__ = [
    "EVENT_TYPES",
    "BenefitChanged",
    "CaseAssigned",
    "CaseHandedOver",
    "ContactAttempted",
    "ContactInitiated",
    "ConversationCancelled",
    "ConversationHeld",
    "ConversationNoShow",
    "ConversationScheduled",
    "EmploymentHoursReported",
    "Envelope",
    "Event",
    "ExemptionEnded",
    "ExemptionStarted",
    "MatchChanged",
    "MentorAssigned",
    "MentorEnded",
    "OfferEnded",
    "OfferExtended",
    "OfferStarted",
    "ParallelEffortEnded",
    "ParallelEffortStarted",
    "PathwayExited",
    "PlacementHoursChanged",
    "PlacementReview",
    "PlanCreated",
    "PlanUpdated",
    "ProgressionMeasured",
    "ReadinessChanged",
    "ReferralAccepted",
    "ReferralMade",
    "RehabTeamRecommendation",
    "ResourcePathwayEnded",
    "ResourcePathwayStarted",
    "SanctionImposed",
    "ScreeningCompleted",
    "TrialRandomised",
    "VisitationCompleted",
    "upcast",
]
