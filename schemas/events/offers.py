"""Offer events: E12 offer.started."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from schemas.enums import OfferType, ProviderType, PublicOrPrivate
from schemas.envelope import Code, Envelope, Pseudonym
from schemas.events.registry import register


@register
class OfferStarted(Envelope):
    """E12: an offer or company placement started; M04 counts the company-oriented ones."""

    event_type: Literal["offer.started"] = "offer.started"
    offer_id: Code
    offer_type: OfferType
    # Derived from offer_type (§4.3). Producers may send it; a contradiction is an error.
    is_company_oriented: bool | None = None
    provider_type: ProviderType
    company_id: Pseudonym | None = None
    public_or_private: PublicOrPrivate | None = None
    planned_weeks: int | None = Field(default=None, ge=0, le=260)
    hours_per_week: float | None = Field(default=None, ge=0, le=60)
    goals_agreed: bool = False

    @model_validator(mode="after")
    def _derive_company_oriented(self) -> OfferStarted:
        derived = self.offer_type.is_company_oriented
        if self.is_company_oriented is not None and self.is_company_oriented != derived:
            raise ValueError(
                f"is_company_oriented={self.is_company_oriented} contradicts "
                f"offer_type {self.offer_type.value} (company-oriented: {derived})"
            )
        object.__setattr__(self, "is_company_oriented", derived)
        return self
