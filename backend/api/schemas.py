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
