"""Parsing what customers paste: site links, CDN image URLs and bare ids."""

from __future__ import annotations

import pytest

from backend.services.errors import InvalidInputError
from backend.services.troubleshoot import parse_reference

G = "G0000Ab.Cd_EfGhI"
C = "C0000xYz012345.6"
M = "I0000QwErTyUiOp1"


@pytest.mark.parametrize(
    ("text", "kind", "ident", "gallery"),
    [
        (G, "gallery", G, None),
        (C, "collection", C, None),
        (M, "media", M, None),
        (f"https://brand.photoshelter.com/gallery/Spring-Launch/{G}", "gallery", G, None),
        (f"https://brand.photoshelter.com/gallery/Spring-Launch/{G}/{C}", "gallery", G, None),
        (f"https://brand.photoshelter.com/gallery-collection/Press/{C}", "collection", C, None),
        (f"https://m.psecn.photoshelter.com/img-get2/{M}/fit=1000x750/NW_Boot_01.jpg", "media", M, None),
        (f"https://m.psecn.photoshelter.com/img-get2/{M}/g={G}/fill=300x300/x.jpg", "media", M, G),
        (f"cdn.c.photoshelter.com/img-get/{M}", "media", M, None),
        (f"https://brand.photoshelter.com/gallery-image/Launch/{G}/{M}", "media", M, G),
        (f"  http://127.0.0.1:5000/sandbox/photoshelter/site/gallery/x/{G}  ", "gallery", G, None),
    ],
)
def test_shapes(text, kind, ident, gallery):
    ref = parse_reference(text)
    assert (ref.kind, ref.id, ref.gallery_id) == (kind, ident, gallery)


def test_credentials_in_the_link_are_kept_for_checking():
    ref = parse_reference(f"https://brand.photoshelter.com/gallery/x/{G}?token=abc123&password=pw")
    assert ref.token == "abc123" and ref.password == "pw"


@pytest.mark.parametrize(
    "text", ["", "   ", "hello", "https://example.com/gallery/nothing-here", "G0000short", "x" * 3000]
)
def test_not_a_photoshelter_reference(text):
    with pytest.raises(InvalidInputError):
        parse_reference(text)
