"""Marshmallow schemas of the v1 HTTP contract: they validate input and document output (OpenAPI)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from backend.services.catalog import KINDS

MAX_PER_PAGE = 100


class StrictSchema(Schema):
    """Unknown fields are an error, not silently dropped."""

    class Meta:
        unknown = RAISE


class SearchArgs(StrictSchema):
    """Query of `GET /api/v1/search`."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(load_default="all", validate=validate.OneOf(KINDS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=24, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    ticket_id = fields.Integer(validate=validate.Range(min=1))


class PageArgs(StrictSchema):
    """Paging of a detail view's children."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=24, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    ticket_id = fields.Integer(validate=validate.Range(min=1))


class TroubleshootArgs(StrictSchema):
    """Body of `POST /api/v1/troubleshoot`: a link (`url`) or an id."""

    url = fields.String(validate=validate.Length(min=1, max=2048))
    id = fields.String(validate=validate.Length(min=1, max=64))
    ticket_id = fields.Integer(validate=validate.Range(min=1))

    @validates_schema
    def one_of(self, data, **kwargs):
        """Exactly one of url and id."""
        if bool(data.get("url")) == bool(data.get("id")):
            raise ValidationError("Give either 'url' or 'id'.", field_name="url")


class AccessSchema(Schema):
    """Computed access state, ready for a badge."""

    status = fields.String(
        metadata={"enum": ["public", "public_unlisted", "password", "restricted", "private"]}
    )
    reason = fields.String()
    expires_at = fields.DateTime(allow_none=True)
    expiring_soon = fields.Boolean()
    expired = fields.Boolean()
    downloads_left = fields.Integer(allow_none=True)
    inherited_from = fields.String(allow_none=True)
    via_gallery_id = fields.String(allow_none=True)


class PagingSchema(Schema):
    """Where a page sits in a listing."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    has_next = fields.Boolean()


class ItemSchema(Schema):
    """A search/browse item: `kind` says which of the optional fields are present."""

    kind = fields.String(metadata={"enum": ["gallery", "collection", "media"]})
    id = fields.String()
    name = fields.String()
    description = fields.String()
    is_listed = fields.Boolean()
    modified_at = fields.DateTime(allow_none=True)
    media_type = fields.String()
    file_name = fields.String()
    file_size = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    created_at = fields.DateTime(allow_none=True)
    thumbnail_url = fields.String(allow_none=True)
    preview_url = fields.String()
    access = fields.Nested(AccessSchema)


class SearchResultSchema(Schema):
    """Response of `GET /api/v1/search`."""

    query = fields.String()
    kind = fields.String()
    items = fields.List(fields.Nested(ItemSchema))
    paging = fields.Nested(PagingSchema)
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())


class PathItemSchema(Schema):
    """One breadcrumb step."""

    id = fields.String()
    kind = fields.String()
    name = fields.String()


class GrantSchema(Schema):
    """A grant as agents see it (credentials are never returned)."""

    id = fields.String()
    type = fields.String()
    expires_at = fields.DateTime(allow_none=True)
    expired = fields.Boolean()
    max_downloads = fields.Integer(allow_none=True)
    downloads_left = fields.Integer(allow_none=True)
    has_credential = fields.Boolean()


class ItemPageSchema(Schema):
    """A page of items."""

    items = fields.List(fields.Nested(ItemSchema))
    paging = fields.Nested(PagingSchema)


class ContainerDetailSchema(ItemSchema):
    """Response of `GET /api/v1/galleries/<id>` and `/collections/<id>`."""

    link = fields.String(allow_none=True)
    path = fields.List(fields.Nested(PathItemSchema))
    grants = fields.List(fields.Nested(GrantSchema))
    media = fields.Nested(ItemPageSchema)
    children = fields.Nested(ItemPageSchema)


class IptcSchema(Schema):
    """Descriptive metadata."""

    title = fields.String()
    headline = fields.String()
    caption = fields.String()
    keywords = fields.List(fields.String())
    credit = fields.String()
    copyright = fields.String()
    author = fields.String()
    city = fields.String()
    country = fields.String()


class MediaDetailSchema(ItemSchema):
    """Response of `GET /api/v1/media/<id>`."""

    iptc = fields.Nested(IptcSchema)
    galleries = fields.List(fields.Nested(ItemSchema))


class TroubleshootResultSchema(Schema):
    """Response of `POST /api/v1/troubleshoot`."""

    kind = fields.String()
    id = fields.String()
    found = fields.Boolean()
    works = fields.Boolean()
    cause = fields.String(
        metadata={
            "enum": [
                "ok",
                "not_found",
                "private",
                "expired",
                "revoked",
                "password_required",
                "wrong_password",
                "permission_required",
                "download_limit",
            ]
        }
    )
    reason = fields.String()
    advice = fields.String()
    access = fields.Nested(AccessSchema, allow_none=True)
    item = fields.Nested(ItemSchema, allow_none=True)
    container = fields.Nested(PathItemSchema, allow_none=True)


MEDIA_ID_PATTERN = r"^I0000[A-Za-z0-9._]{11}$"
GALLERY_ID_PATTERN = r"^G0000[A-Za-z0-9._]{11}$"
MAX_DELIVERY_ITEMS = 50


class AttachArgs(StrictSchema):
    """Body of `POST /api/v1/tickets/<id>/attachments`."""

    media_ids = fields.List(
        fields.String(validate=validate.Regexp(MEDIA_ID_PATTERN, error="Not a media id.")),
        required=True,
        validate=validate.Length(min=1, max=MAX_DELIVERY_ITEMS),
    )
    public = fields.Boolean(load_default=False)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ShareArgs(StrictSchema):
    """Body of `POST /api/v1/tickets/<id>/shares`: a gallery or a selection of media."""

    gallery_id = fields.String(validate=validate.Regexp(GALLERY_ID_PATTERN, error="Not a gallery id."))
    media_ids = fields.List(
        fields.String(validate=validate.Regexp(MEDIA_ID_PATTERN, error="Not a media id.")),
        validate=validate.Length(min=1, max=MAX_DELIVERY_ITEMS),
    )
    recipients = fields.List(fields.Email(), load_default=list, validate=validate.Length(max=20))
    expires_in_days = fields.Integer(validate=validate.Range(min=1, max=365))
    allow_download = fields.Boolean(load_default=True)
    max_downloads = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=10000))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    post_as = fields.String(load_default="note", validate=validate.OneOf(["note", "reply"]))

    @validates_schema
    def gallery_or_media(self, data, **kwargs):
        """Exactly one of gallery_id and media_ids."""
        if bool(data.get("gallery_id")) == bool(data.get("media_ids")):
            raise ValidationError("Give either 'gallery_id' or 'media_ids'.", field_name="gallery_id")


class ShareSchema(Schema):
    """A tracked share link and its live state (the credential is never included)."""

    id = fields.String()
    link = fields.String()
    container_id = fields.String()
    status = fields.String(metadata={"enum": ["active", "expiring", "expired", "revoked", "exhausted"]})
    reason = fields.String(allow_none=True)
    expires_at = fields.DateTime()
    max_downloads = fields.Integer(allow_none=True)
    downloads = fields.Integer()
    downloads_left = fields.Integer(allow_none=True)
    allow_download = fields.Boolean()
    revoked_at = fields.DateTime(allow_none=True)


class DeliveryErrorSchema(Schema):
    """Why a delivery failed."""

    code = fields.String()
    message = fields.String()


class DeliverySchema(Schema):
    """An attachment or share delivered (or attempted) on a ticket."""

    id = fields.String()
    kind = fields.String(metadata={"enum": ["attachment", "share"]})
    status = fields.String()
    ticket_id = fields.Integer()
    media_ids = fields.List(fields.String())
    gallery_id = fields.String(allow_none=True)
    recipients = fields.List(fields.String())
    public = fields.Boolean()
    note = fields.String()
    fallback_to_link = fields.Boolean()
    error = fields.Nested(DeliveryErrorSchema, allow_none=True)
    attempts = fields.Integer()
    agent_id = fields.String(allow_none=True, metadata={"description": "asserted by the sidebar, not proven"})
    created_at = fields.DateTime()
    shares = fields.List(fields.Nested(ShareSchema))
    link = fields.String()
    title = fields.String()
    html = fields.String(metadata={"description": "link block for the agent's reply"})


class DeliveryListSchema(Schema):
    """Deliveries of one ticket."""

    items = fields.List(fields.Nested(DeliverySchema))


class PersonSchema(Schema):
    """A Zendesk requester."""

    id = fields.Integer()
    name = fields.String()
    email = fields.String(allow_none=True)
    tags = fields.List(fields.String())


class CcSchema(Schema):
    """Someone copied on the ticket (a share recipient the agent may add)."""

    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class OrganizationSchema(Schema):
    """A Zendesk organization with its fields (tier) and tags."""

    id = fields.Integer()
    name = fields.String()
    tags = fields.List(fields.String())
    fields_ = fields.Dict(data_key="fields", attribute="fields")


class LinkCheckSchema(Schema):
    """A link found in the conversation and its live status."""

    url = fields.String()
    source = fields.String(metadata={"enum": ["share", "photoshelter"]})
    share_id = fields.String()
    works = fields.Boolean()
    cause = fields.String()
    reason = fields.String()
    advice = fields.String()
    kind = fields.String()
    id = fields.String()
    container_id = fields.String(allow_none=True)


class TicketSummarySchema(Schema):
    """The ticket itself."""

    id = fields.Integer()
    subject = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    priority = fields.String(allow_none=True)
    tags = fields.List(fields.String())


class LimitsSchema(Schema):
    """The backend's delivery limits, so the sidebar can warn before sending."""

    attachment_limit_bytes = fields.Integer()
    default_share_days = fields.Integer()
    max_share_days = fields.Integer()


class TicketContextSchema(Schema):
    """Response of `GET /api/v1/tickets/<id>/context`."""

    limits = fields.Nested(LimitsSchema)
    ticket = fields.Nested(TicketSummarySchema)
    requester = fields.Nested(PersonSchema, allow_none=True)
    ccs = fields.List(fields.Nested(CcSchema))
    organization = fields.Nested(OrganizationSchema, allow_none=True)
    deliveries = fields.List(fields.Nested(DeliverySchema))
    links = fields.List(fields.Nested(LinkCheckSchema))
