"""Storage models of the registry (SQLAlchemy 2.x), aligned with Open Referral HSDS 3.0.

Identifiers are UUID strings, stable across re-imports (deterministic ``uuid5`` from a
natural key when a source gives none); ``slug`` is the readable key used in page URLs.
Every record carries provenance: where it comes from (``source``), when the source was
seen (``source_seen``) and when and by whom it was verified (``assured_date``,
``assured_by``) — verified is not the same as edited (``updated_at``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Namespace of the project's deterministic identifiers.
KIK_NAMESPACE = uuid.UUID("5b0c7a39-6f0e-4d7e-9a53-7a1c0d6b2f11")


def stable_id(kind: str, *key: object) -> str:
    """Deterministic UUID for a record of ``kind`` with the given natural key.

    >>> stable_id("organisation", "Acantus") == stable_id("organisation", "acantus ")
    True
    """
    text = "|".join(str(k).strip().casefold() for k in key)
    return str(uuid.uuid5(KIK_NAMESPACE, f"{kind}:{text}"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}


class Provenance:
    """Columns every record has: where it comes from and who verified it when."""

    source: Mapped[str] = mapped_column(Text, default="")
    source_seen: Mapped[str | None] = mapped_column(String(10))
    assured_date: Mapped[dt.date | None] = mapped_column(Date)
    assured_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )


class Organisation(Provenance, Base):
    __tablename__ = "organisation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(40))
    is_partner: Mapped[bool] = mapped_column(Boolean, default=False)
    partner_since: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    office_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL", use_alter=True)
    )

    office: Mapped[Location | None] = relationship(foreign_keys=[office_location_id], post_update=True)
    services: Mapped[list[Service]] = relationship(back_populates="organisation")


class Location(Provenance, Base):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(300))
    location_type: Mapped[str] = mapped_column(String(10), default="physical")
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str | None] = mapped_column(String(120))
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    gemeente_name: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(String(10))
    accessibility: Mapped[str | None] = mapped_column(Text)
    transport: Mapped[str | None] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_point: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    services: Mapped[list[Service]] = relationship(back_populates="location")


class Service(Provenance, Base):
    """An offer at a location: what it offers, for which needs, when, on which terms."""

    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default="other")
    description: Mapped[str] = mapped_column(Text, default="")
    kapitaalsvormen: Mapped[list] = mapped_column(JSON, default=list)
    free: Mapped[bool | None] = mapped_column(Boolean)
    referral_needed: Mapped[bool | None] = mapped_column(Boolean)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    eligibility: Mapped[str | None] = mapped_column(Text)
    opening_hours: Mapped[str | None] = mapped_column(Text)
    opening_hours_text: Mapped[str | None] = mapped_column(Text)
    service_area: Mapped[list] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))

    organisation: Mapped[Organisation | None] = relationship(back_populates="services")
    location: Mapped[Location | None] = relationship(back_populates="services")
    need_rows: Mapped[list[ServiceNeed]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceNeed.need", lazy="selectin"
    )

    @property
    def needs(self) -> list[str]:
        return [n.need for n in self.need_rows]


class ServiceNeed(Base):
    """Which needs a service serves (one row each, so both databases can filter on it)."""

    __tablename__ = "service_need"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    need: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class Activity(Provenance, Base):
    __tablename__ = "activity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(120))
    #: Partial ISO dates ("2021", "2021-03", "2021-03-15"): as precise as the source is.
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    source_lines: Mapped[list] = mapped_column(JSON, default=list)

    participations: Mapped[list[Participation]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", lazy="selectin"
    )


class Participation(Base):
    __tablename__ = "participation"

    activity_id: Mapped[str] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(10), default="member")

    activity: Mapped[Activity] = relationship(back_populates="participations")
    organisation: Mapped[Organisation] = relationship()


class Relation(Provenance, Base):
    """An explicit tie between two organisations that is not a shared activity."""

    __tablename__ = "relation"
    __table_args__ = (UniqueConstraint("org_a_id", "org_b_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_a_id: Mapped[str] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    org_b_id: Mapped[str] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    since: Mapped[str | None] = mapped_column(String(10))
    until: Mapped[str | None] = mapped_column(String(10))
    strength: Mapped[float] = mapped_column(Float, default=1.0)


class DataVersion(Base):
    """One row: a counter that changes on every write, so caches know when to rebuild."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
