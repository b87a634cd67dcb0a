"""Request and response models of the JSON API (separate from the storage models)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list = Field(default_factory=list)


class ErrorBody(BaseModel):
    error: ErrorDetail


class Provenance(BaseModel):
    source: str = ""
    source_seen: str | None = None
    assured_date: str | None = None
    assured_by: str | None = None


class OfficePublic(BaseModel):
    id: str
    place: str | None
    gemeente_code: str | None
    gemeente_name: str | None
    latitude: float | None
    longitude: float | None
    precision: str | None


class OrganisationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    slug: str
    name: str
    sector: str
    is_partner: bool
    partner_since: int | None
    website: str | None
    phone: str | None
    email: str | None
    office: OfficePublic | None
    provenance: Provenance


class ServicePublic(BaseModel):
    id: str
    name: str
    kind: str
    description: str
    needs: list[str]
    kapitaalsvormen: list[str]
    free: bool | None
    referral_needed: bool | None
    languages: list[str]
    eligibility: str | None
    opening_hours: str | None
    opening_hours_text: str | None
    service_area: list[str]
    url: str | None
    email: str | None
    phone: str | None
    provenance: Provenance


class LocationPublic(BaseModel):
    id: str
    slug: str
    name: str
    organisation_id: str | None
    organisation: str | None
    location_type: str
    address: str | None = Field(description="Hidden (null) for confidential locations.")
    postcode: str | None
    place: str | None
    gemeente_code: str | None
    gemeente_name: str | None
    latitude: float | None = Field(description="Hidden (null) for confidential locations.")
    longitude: float | None
    precision: str | None = Field(description="address, postcode (a PC4 centroid) or place")
    accessibility: str | None
    transport: str | None
    confidential: bool
    contact_point: str | None
    services: list[ServicePublic]
    provenance: Provenance


class ParticipantPublic(BaseModel):
    organisation_id: str
    organisation: str
    role: str


class ActivityPublic(BaseModel):
    id: str
    slug: str
    kind: str
    name: str
    description: str
    place: str | None
    start: str | None
    end: str | None
    participants: list[ParticipantPublic]
    provenance: Provenance


class PageOf(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
