"""Tiny public "site" pages behind container links: `/site/gallery/<slug>/<G…>` and
`/site/gallery-collection/<slug>/<C…>`. Anonymous view; `?password=`/`?token=` unlock permission content.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from markupsafe import Markup

from . import access, ids
from .access import Viewer
from .models import Container, Library
from .resources import image_url, site_url
from .state import get_state

bp = Blueprint("ps_site", __name__, url_prefix="/site")

_THUMBNAILS = 12


def _page(title: str, body: Markup | str, status: int = 200) -> Response:
    html = Markup(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>{title} — Northwind Outdoor</title>"
        "<style>body{{font-family:sans-serif;margin:2rem;color:#223}}img{{margin:4px;border-radius:4px}}"
        ".note{{padding:1rem;background:#f3f0e8;border-radius:6px}}</style></head>"
        "<body><p><small>Northwind Outdoor Co. · PhotoShelter (simulated)</small></p><h1>{title}</h1>{body}"
        "</body></html>"
    ).format(title=title, body=body)
    return Response(str(html), status=status, mimetype="text/html")


def _viewer() -> Viewer:
    return Viewer(password=request.args.get("password"), token=request.args.get("token"))


def _lookup(library: Library, container_id: str, prefix: str) -> Container | None:
    if not ids.is_id(container_id, prefix):
        return None
    found = library.containers.get(container_id)
    return found if found is not None and found.id.startswith(prefix) else None


def _locked(container: Container, detail: str | None) -> Response:
    if detail == access.DETAIL_PRIVATE:
        message = Markup("<p class='note'>This gallery is private.</p>")
    else:
        message = Markup(
            "<p class='note'>This gallery requires a password or permission{extra}.</p>"
            "<form method='get'><input type='password' name='password' placeholder='Password'>"
            " <button>View</button></form>"
        ).format(extra=" (the access you used has expired)" if detail == access.DETAIL_EXPIRED else "")
    return _page(container.name, message, status=403 if detail == access.DETAIL_PRIVATE else 200)


@bp.route("/gallery/<slug>/<gallery_id>", methods=["GET"])
def gallery_page(slug: str, gallery_id: str) -> Response:
    """Gallery page: title and thumbnails when the visitor may view it."""
    st = get_state()
    gallery = _lookup(st.library, gallery_id, ids.GALLERY)
    if gallery is None:
        return _page("Gallery not found", "", status=404)
    decision = access.check_view(st.library, _viewer(), gallery, st.current_time())
    if not decision.allowed:
        return _locked(gallery, decision.detail)
    thumbs = Markup("").join(
        Markup("<img src='{src}' alt='{alt}' width='200' height='200'>").format(
            src=image_url(st.library.media[m], 200, 200, "fill", gallery.id),
            alt=st.library.media[m].file_name,
        )
        for m in gallery.children[:_THUMBNAILS]
    )
    body = Markup("<p>{description}</p><p>{count} images</p><div>{thumbs}</div>").format(
        description=gallery.description, count=len(gallery.children), thumbs=thumbs
    )
    return _page(gallery.name, body)


@bp.route("/gallery-collection/<slug>/<collection_id>", methods=["GET"])
def collection_page(slug: str, collection_id: str) -> Response:
    """Collection page: links to the listed children the visitor may see."""
    st = get_state()
    collection = _lookup(st.library, collection_id, ids.COLLECTION)
    if collection is None:
        return _page("Collection not found", "", status=404)
    viewer = _viewer()
    now = st.current_time()
    decision = access.check_view(st.library, viewer, collection, now)
    if not decision.allowed:
        return _locked(collection, decision.detail)
    items = Markup("").join(
        Markup("<li><a href='{href}'>{name}</a></li>").format(href=site_url(child), name=child.name)
        for child in (st.library.containers[c] for c in collection.children)
        if access.visible_in_listing(st.library, viewer, child, now)
    )
    body = Markup("<p>{d}</p><ul>{items}</ul>").format(d=collection.description, items=items)
    return _page(collection.name, body)


@bp.route("/", methods=["GET"])
def home() -> Response:
    """Portal home: the public root containers."""
    st = get_state()
    viewer = Viewer()
    now = st.current_time()
    roots = sorted(st.library.roots(), key=lambda c: c.name)
    items = Markup("").join(
        Markup("<li><a href='{href}'>{name}</a></li>").format(href=site_url(c), name=c.name)
        for c in roots
        if access.visible_in_listing(st.library, viewer, c, now)
    )
    return _page(st.library.org.name, Markup("<ul>{items}</ul>").format(items=items))
