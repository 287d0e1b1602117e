"""SQLAlchemy models: tenants, deliveries, share grants, link events, the audit log, idempotency keys.

Portable between SQLite and PostgreSQL: JSON columns for lists and dicts, enums stored as strings
with CHECK constraints, timestamps as aware UTC (`UTCDateTime`). Public identifiers (`public_id`)
are opaque random strings; integer ids never leave the backend.

The audit log is append-only. The ORM refuses to update or delete `AuditEvent` rows (flush and
bulk statements alike) and the database refuses too: the migration installs triggers on both
dialects (and `create_all` installs the same triggers, for tests that skip migrations).
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    true,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
)

from backend.store.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL; SQLite only auto-increments a plain INTEGER primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")

APPEND_ONLY_MESSAGE = "audit events are append-only"


class AppendOnlyError(RuntimeError):
    """Raised when code tries to update or delete an audit event."""


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable names for migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column type: VARCHAR + CHECK constraint, storing the members' values."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class DeliveryKind(enum.StrEnum):
    """How assets reached the ticket."""

    ATTACHMENT = "attachment"
    SHARE = "share"


class DeliveryStatus(enum.StrEnum):
    """Life cycle of a delivery."""

    PENDING = "pending"
    UPLOADING = "uploading"
    DELIVERED = "delivered"
    FAILED = "failed"
    REVOKED = "revoked"
    EXPIRED = "expired"


class LinkEventKind(enum.StrEnum):
    """What happened on a share link."""

    OPEN = "open"
    DOWNLOAD = "download"
    DENIED = "denied"


class DenialReason(enum.StrEnum):
    """Why a share link refused access."""

    EXPIRED = "expired"
    REVOKED = "revoked"
    EXHAUSTED = "exhausted"


class AuditOutcome(enum.StrEnum):
    """Result of an audited action."""

    OK = "ok"
    FAILED = "failed"


class IdempotencyStatus(enum.StrEnum):
    """State of an idempotency key."""

    IN_PROGRESS = "in_progress"
    DONE = "done"


def new_delivery_public_id() -> str:
    """An opaque delivery id (`dl_` + 96 random bits)."""
    return "dl_" + secrets.token_urlsafe(12)


def new_link_public_id() -> str:
    """An opaque share-link id for `/l/<id>` (144 random bits, URL-safe)."""
    return secrets.token_urlsafe(18)


class TenantRow(Base):
    """One Zendesk account, by subdomain (the durable counterpart of `tenants.Tenant`)."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subdomain: Mapped[str] = mapped_column(String(63), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """Assets delivered to a ticket: attached as files or shared as an expiring link."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_tenant_ticket_created", "tenant_id", "ticket_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_delivery_public_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[DeliveryKind] = mapped_column(_enum(DeliveryKind, "delivery_kind"))
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    # The JWT's `sub`: asserted by the browser through Zendesk's proxy, not proven.
    asserted_agent_id: Mapped[str | None] = mapped_column(String(64))
    media_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    gallery_id: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")
    # Zendesk upload tokens produced so far, so a half-done delivery can be completed or cleaned up.
    # JSON is not mutation-tracked: assign a new list (see deliveries.add_upload_tokens).
    upload_tokens: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the delivery was asked to do beyond assets and recipients (share expiry, downloads,
    # note placement), so a failed delivery can be retried exactly as requested.
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    zendesk_comment_id: Mapped[int | None] = mapped_column(BigInteger)
    fallback_to_link: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    share_grants: Mapped[list[ShareGrant]] = relationship(
        back_populates="delivery", order_by="ShareGrant.id", lazy="selectin"
    )


class ShareGrant(Base):
    """An expiring link (`/l/<public_id>`) backed by a PhotoShelter access grant."""

    __tablename__ = "share_grants"
    __table_args__ = (Index("ix_share_grants_tenant_ticket", "tenant_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_link_public_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    photoshelter_grant_id: Mapped[str | None] = mapped_column(String(64))  # `AR000…`, set once created
    # The gallery shared; for a selection of media, the delivery gallery created to hold them.
    container_id: Mapped[str] = mapped_column(String(64))
    media_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # SECRET: the password/token given to the recipient. Needed server-side for redirects; it must
    # never be returned by the API, logged, or put in audit details.
    credential: Mapped[str] = mapped_column(Text, info={"secret": True})
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    max_downloads: Mapped[int | None] = mapped_column(Integer)
    downloads: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    allow_download: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    delivery: Mapped[Delivery] = relationship(back_populates="share_grants")

    def denial_reason(self, now: datetime | None = None) -> DenialReason | None:
        """Why the link refuses access right now (revoked, expired, exhausted), or None when open."""
        now = now or utcnow()
        if self.revoked_at is not None:
            return DenialReason.REVOKED
        if self.expires_at <= now:
            return DenialReason.EXPIRED
        if self.max_downloads is not None and self.downloads >= self.max_downloads:
            return DenialReason.EXHAUSTED
        return None


class LinkEvent(Base):
    """One open, download or denial on a share link (for analytics)."""

    __tablename__ = "link_events"
    __table_args__ = (Index("ix_link_events_tenant_created", "tenant_id", "created_at"),)

    USER_AGENT_MAX = 256

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    share_grant_id: Mapped[int] = mapped_column(ForeignKey("share_grants.id"), index=True)
    kind: Mapped[LinkEventKind] = mapped_column(_enum(LinkEventKind, "link_event_kind"))
    reason: Mapped[DenialReason | None] = mapped_column(_enum(DenialReason, "denial_reason"))
    user_agent: Mapped[str | None] = mapped_column(String(USER_AGENT_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """An append-only record of a state-changing action: who (asserted), what, to whom, outcome."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_tenant_ticket_created", "tenant_id", "ticket_id", "created_at"),
        Index("ix_audit_events_tenant_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    ticket_id: Mapped[int | None] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(128))  # e.g. "agent:42 (asserted)" or "system"
    action: Mapped[str] = mapped_column(String(64))  # e.g. "share.created", "delivery.failed"
    target: Mapped[str] = mapped_column(String(255))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[AuditOutcome] = mapped_column(_enum(AuditOutcome, "audit_outcome"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdempotencyKey(Base):
    """A client's Idempotency-Key for one endpoint: the request it stood for and its stored response."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "scope", "key"),)

    KEY_MAX = 255

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    scope: Mapped[str] = mapped_column(String(255))  # e.g. "POST /tickets/7/attachments"
    request_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the canonical body
    status: Mapped[IdempotencyStatus] = mapped_column(
        _enum(IdempotencyStatus, "idempotency_status"), default=IdempotencyStatus.IN_PROGRESS
    )
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --- Append-only audit log -------------------------------------------------------------------------


@event.listens_for(AuditEvent, "before_update")
def _refuse_audit_update(mapper: Mapper[Any], connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError(APPEND_ONLY_MESSAGE)


@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_delete(mapper: Mapper[Any], connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError(APPEND_ONLY_MESSAGE)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state: ORMExecuteState) -> None:
    """ORM-enabled `update(AuditEvent)` / `delete(AuditEvent)` bypass the mapper events above."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEvent for m in state.all_mappers):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


# The same triggers the migration installs, for databases built with `Base.metadata.create_all`.
_audit = AuditEvent.__table__
event.listen(
    _audit,
    "after_create",
    DDL(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    _audit,
    "after_create",
    DDL(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    _audit,
    "after_create",
    DDL(
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
        "END; $$ LANGUAGE plpgsql"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    _audit,
    "after_create",
    DDL(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    _audit,
    "after_create",
    DDL(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    _audit,
    "after_drop",
    DDL("DROP FUNCTION IF EXISTS audit_events_append_only()").execute_if(dialect="postgresql"),
)
