"""Deterministic seed library for the simulator: "Northwind Outdoor Co.", an outdoor gear brand.

`build_library(now, seed)` returns a fresh `Library` (a new one per simulator, because download
counters are mutable). Collection and gallery ids are fixed literals so `SEEDED_STATES` holds for
every seed; media ids, file numbers, sizes, IPTC details and times come from `random.Random(seed)`
and are placed relative to `now`, so the same `now` and seed give the same library.

Shape: 8 collections (Campaigns > Spring 2026 / Fall-Winter 2025 are nested), 28 galleries (some
at the root, one in two collections), 328 images with realistic names such as
`NW_Trailrunner_Spring26_0142.jpg`, mixed orientations, files from ~3 MB to a few >50 MB originals.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from . import ids
from .models import Contact, Container, Grant, Iptc, Library, Media, OAuthClient, Organization, User

DEFAULT_SEED = 2026

DEMO_API_KEY = "rgmgbfXdtuSRQV0eCX6uEIOpOo0vyzjBbekvSxtv"
DEMO_ORG_ID = "O0000m2P36tF3TVV"
DEMO_ORG_NAME = "Northwind Outdoor Co."
DEMO_USER_ID = "U0000UBnQvDuSXNL"
DEMO_EMAIL = "dana.whitfield@northwind-outdoor.example"
DEMO_PASSWORD = "4vf-13bF_wkTBPqRS1MCULqo"  # noqa: S105 - simulator demo login, not a real secret

# An invited (non-member) user: reaches galleries shared with their contact id / group.
DEMO_GUEST_USER_ID = "U00007whedVFDpUT"
DEMO_GUEST_EMAIL = "alex.rivera@summit-sports-retail.example"
DEMO_GUEST_PASSWORD = "kzdg5RuwL5HFEqqU7VWX"  # noqa: S105 - simulator demo login
DEMO_GUEST_CONTACT_ID = "CT000Ivk67ZBI8Dk"
DEMO_DEALER_GROUP_ID = "CTG00TXidREoROkv"

# A pre-registered OAuth client that accepts any http(s) redirect URI.
DEMO_OAUTH_CLIENT_ID = "ElqAeCWJ7tJPD4K0qRCdFDqQ"
DEMO_OAUTH_CLIENT_SECRET = "Pt8NwYUcmZamHHmeVTwRuLJynpKvXhJHQRYCSCpM"  # noqa: S105 - simulator demo client

# Grant credentials (also visible to org staff through /permissions).
PRESS_PASSWORD = "summit-press-26"  # noqa: S105
EMBARGO_PASSWORD = "trail-embargo-26"  # noqa: S105
MEDIA_DAY_PASSWORD = "mediaday-or25"  # noqa: S105
DEALER_PASSWORD = "dealer-fw25"  # noqa: S105
CATALOG_PASSWORD = "catalog-ss26"  # noqa: S105
LOOKBOOK_TOKEN = "lb26Qm8ZrT4kWx9pVnH2cJ7dYs5fLa3e"  # noqa: S105
RETAIL_TOKEN = "rw26Hn4BvK8tQz2mXc6pJr9wDs3gFy7u"  # noqa: S105

SEEDED_STATES: dict[str, str] = {
    "public_listed": "G0000kLVLhRonF1J",
    "public_unlisted": "G00002rhsbfp54ER",
    "password": "G0000kU16xDVlQ8k",
    "token": "G0000YkVbYMOid7G",
    "contact": "G0000XEl4cc9jSL0",
    "expiring_soon": "G0000P9vWEyabepJ",
    "expired": "G0000e4F0ZPx2gH7",
    "downloads_exhausted": "G0000QqDG1XESVsY",
    "private": "G0000AXEepGipLgJ",
    "inherited": "G0000FWUSwXjrZKj",
}


# --------------------------------------------------------------------------- vocabulary

_SCENES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "trail": [
        ("Ridge descent at golden hour", ("ridge", "golden hour", "descent")),
        ("Switchback climb through aspen grove", ("switchbacks", "aspen", "climb")),
        ("Creek crossing splash", ("creek", "water", "splash")),
        ("Outsole detail on wet granite", ("outsole", "granite", "detail")),
        ("Sunrise start at the trailhead", ("sunrise", "trailhead")),
        ("Group run on alpine singletrack", ("group", "singletrack", "alpine")),
        ("Fog rolling over the ridgeline", ("fog", "ridgeline", "moody")),
        ("Lacing up before the long run", ("laces", "preparation")),
    ],
    "hike": [
        ("Coastal bluff trail above the surf", ("coast", "bluff", "ocean")),
        ("Hikers pausing at a viewpoint", ("viewpoint", "hikers", "break")),
        ("Fern canyon walk", ("ferns", "canyon", "forest")),
        ("Beach approach at low tide", ("beach", "low tide")),
        ("Packing the daypack at the car", ("daypack", "preparation")),
        ("Sunset silhouette on the headland", ("sunset", "silhouette", "headland")),
        ("Wind shell in a sea breeze", ("wind", "breeze", "shell")),
    ],
    "ski": [
        ("Skin track at first light", ("skinning", "first light", "touring")),
        ("Powder turn below the col", ("powder", "turn", "col")),
        ("Transition on the summit ridge", ("transition", "summit", "ridge")),
        ("Avalanche beacon check", ("avalanche safety", "beacon")),
        ("Hut arrival at dusk", ("hut", "dusk", "refuge")),
        ("Glacier crossing roped up", ("glacier", "rope", "crevasse")),
        ("Spindrift in the couloir", ("couloir", "spindrift", "steep")),
    ],
    "climb": [
        ("Leading a frozen waterfall pitch", ("ice", "waterfall", "lead")),
        ("Placing an ice screw", ("ice screw", "protection", "detail")),
        ("Belay stance in the gorge", ("belay", "gorge")),
        ("Crampon front points close-up", ("crampons", "detail")),
        ("Topping out in falling snow", ("summit", "snowfall")),
        ("Racking up at the base", ("gear", "rack", "preparation")),
    ],
    "alpine": [
        ("Parka on the Gornergrat at dawn", ("dawn", "matterhorn", "parka")),
        ("Hood up in a whiteout", ("whiteout", "storm", "hood")),
        ("Village street in the snow", ("village", "snow", "lifestyle")),
        ("Lift ride with a view", ("chairlift", "view")),
        ("Baffle detail in low sun", ("down", "baffles", "detail")),
        ("Apres coffee on the terrace", ("apres", "coffee", "terrace")),
    ],
    "camp": [
        ("Tent pitched under the arches", ("tent", "arches", "desert")),
        ("Headlamp glow at blue hour", ("headlamp", "blue hour", "night")),
        ("Camp kitchen breakfast", ("camp kitchen", "breakfast", "stove")),
        ("Milky Way over basecamp", ("milky way", "stars", "astro")),
        ("Pitching in the wind", ("wind", "setup")),
        ("Vestibule detail with boots", ("vestibule", "detail", "boots")),
    ],
    "studio": [
        ("Front three-quarter view on white", ("packshot", "white background", "front")),
        ("Side profile on white", ("packshot", "profile", "side")),
        ("Back view on white", ("packshot", "back")),
        ("Top-down flat lay", ("flat lay", "top down")),
        ("Material macro", ("macro", "fabric", "texture")),
        ("Colorway lineup", ("colorways", "lineup")),
        ("Detail of the zip garage", ("zip", "detail")),
        ("Ghost mannequin front", ("ghost mannequin", "front")),
    ],
    "portrait": [
        ("Environmental portrait on the trail", ("portrait", "athlete")),
        ("Close portrait after the finish", ("portrait", "finish", "emotion")),
        ("Training interval on the track", ("training", "interval")),
        ("Recovery stretch by the lake", ("recovery", "stretch", "lake")),
        ("Gear check before the race", ("race", "gear check")),
        ("Headshot for press use", ("headshot", "press")),
    ],
    "event": [
        ("Booth overview on show day", ("booth", "trade show")),
        ("Product demo with retailers", ("demo", "retailers")),
        ("Panel talk on sustainability", ("panel", "sustainability")),
        ("Team photo at the stand", ("team", "group photo")),
        ("Journalists testing the new pack", ("press", "testing")),
        ("Evening reception", ("reception", "networking")),
    ],
    "brand": [
        ("Logo lockup on dark", ("logo", "brand", "dark")),
        ("Logo lockup on light", ("logo", "brand", "light")),
        ("Flagship store exterior", ("store", "flagship", "exterior")),
        ("Repair workshop at HQ", ("repair", "workshop", "sustainability")),
        ("Recycled fabric roll", ("recycled", "fabric", "sustainability")),
        ("Founders at the first store", ("founders", "history")),
    ],
    "retail": [
        ("Window display with spring range", ("window display", "retail")),
        ("Shop floor wall of footwear", ("shop floor", "footwear wall")),
        ("Point-of-sale stand", ("point of sale", "fixture")),
        ("Fitting room lookbook shot", ("lookbook", "fitting")),
        ("Mannequin group in store", ("mannequins", "visual merchandising")),
    ],
}

_ACTIVITY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "trail": ("trail running", "running", "mountains", "outdoor"),
    "hike": ("hiking", "coast", "outdoor", "adventure"),
    "ski": ("ski touring", "backcountry", "snow", "winter"),
    "climb": ("ice climbing", "climbing", "winter", "vertical"),
    "alpine": ("alpine", "winter", "lifestyle", "down jacket"),
    "camp": ("camping", "desert", "night", "outdoor"),
    "studio": ("studio", "product", "catalog", "ecommerce"),
    "portrait": ("athlete", "ambassador", "portrait", "sport"),
    "event": ("event", "trade show", "press"),
    "brand": ("brand", "corporate", "identity"),
    "retail": ("retail", "wholesale", "merchandising"),
}

_PALETTES: dict[str, tuple[tuple[int, int, int], ...]] = {
    "trail": ((238, 150, 75), (92, 60, 110), (40, 40, 60)),
    "hike": ((120, 190, 220), (235, 210, 160), (40, 90, 110)),
    "ski": ((170, 205, 240), (245, 248, 252), (60, 80, 120)),
    "climb": ((150, 200, 225), (60, 90, 130), (230, 240, 250)),
    "alpine": ((250, 190, 150), (90, 120, 170), (240, 240, 245)),
    "camp": ((25, 30, 70), (200, 110, 60), (250, 220, 140)),
    "studio": ((246, 246, 246), (210, 210, 214), (60, 120, 90)),
    "portrait": ((200, 160, 120), (70, 90, 80), (230, 200, 170)),
    "event": ((60, 70, 90), (180, 140, 90), (230, 230, 230)),
    "brand": ((20, 60, 50), (230, 225, 210), (200, 90, 40)),
    "retail": ((230, 220, 200), (120, 100, 90), (40, 110, 90)),
}

# Camera bodies: (width, height) of a landscape frame.
_CAMERAS: dict[str, tuple[int, int]] = {
    "Lena Marsh": (8640, 5760),  # Sony A1
    "Tomás Reyes": (8192, 5464),  # Canon R5
    "Priya Natarajan": (8256, 5504),  # Nikon Z8
    "Erik Solberg": (7728, 5152),  # Fujifilm X-T5
    "Hana Kato": (7008, 4672),  # Sony A7 IV
    "Marcus Bell": (6000, 4000),  # studio / events
}

_MEDIUM_FORMAT = (11648, 8736)  # Fujifilm GFX100 hero frames (> 50 MB originals)


@dataclass(frozen=True)
class _GrantSpec:
    type: str
    password: str | None = None
    token: str | None = None
    expires_days: float | None = None
    max_downloads: int | None = None
    downloads: int = 0
    contact_id: str | None = None
    group_id: str | None = None
    filetype: str = "original"
    size: int | None = None


@dataclass(frozen=True)
class _CollectionSpec:
    key: str
    id: str
    name: str
    description: str
    parent: str | None = None
    mode: str = "everyone"
    listed: bool = True
    inherit: bool = False
    grants: tuple[_GrantSpec, ...] = ()


@dataclass(frozen=True)
class _GallerySpec:
    key: str
    id: str
    name: str
    code: str
    season: str
    parents: tuple[str, ...]
    count: int
    activity: str
    product: str
    photographer: str
    location: tuple[str, str, str]
    age_days: int
    mode: str = "everyone"
    listed: bool = True
    inherit: bool = False
    grants: tuple[_GrantSpec, ...] = ()
    shared_from: tuple[str, ...] = field(default=())


_COLLECTIONS: tuple[_CollectionSpec, ...] = (
    _CollectionSpec("campaigns", "C0000StHhRaevJxf", "Campaigns", "Seasonal campaign photography."),
    _CollectionSpec(
        "spring26",
        "C0000xRQDAdouBLt",
        "Spring 2026 — Trail Series",
        "Trail running and hiking campaign for the Spring/Summer 2026 range.",
        parent="campaigns",
    ),
    _CollectionSpec(
        "fw25",
        "C0000cCequm4BmmS",
        "Fall/Winter 2025 — Alpine",
        "Alpine, ski touring and ice climbing campaign for Fall/Winter 2025.",
        parent="campaigns",
    ),
    _CollectionSpec(
        "catalog",
        "C0000fGRHcIZiMXq",
        "Product Catalog SS26",
        "Studio packshots for e-commerce and wholesale catalogs (password protected).",
        mode="permission",
        grants=(_GrantSpec("password", password=CATALOG_PASSWORD, filetype="jpeg", size=3000),),
    ),
    _CollectionSpec(
        "athletes",
        "C0000qaY8Ncexis1",
        "Athletes & Ambassadors",
        "Portraits and action of the Northwind team.",
    ),
    _CollectionSpec(
        "press", "C0000wcZMTQVRWyG", "Press Room", "Press kits, launch imagery and event coverage."
    ),
    _CollectionSpec(
        "retail",
        "C0000jWuxigKt7eb",
        "Retail & Wholesale",
        "Lookbooks and point-of-sale imagery for retail partners.",
        mode="permission",
        listed=False,
        grants=(
            _GrantSpec("token", token=RETAIL_TOKEN),
            _GrantSpec("group", group_id=DEMO_DEALER_GROUP_ID),
        ),
    ),
    _CollectionSpec(
        "archive",
        "C0000MSplGSm3gLl",
        "Archive — Internal",
        "Internal archive: prototypes, outtakes, legal.",
        mode="private",
        listed=False,
    ),
)

_US = "United States"
# fmt: off
_GALLERIES: tuple[_GallerySpec, ...] = (
    _GallerySpec(
        "trail_hero", "G0000kLVLhRonF1J", "Trailrunner GTX — Hero Campaign", "Trailrunner", "Spring26",
        ("spring26",), 18, "trail", "Trailrunner GTX", "Lena Marsh", ("Boulder", "Colorado", _US), 300,
    ),
    _GallerySpec(
        "trail_selects", "G00002rhsbfp54ER", "Trailrunner GTX — Client Selects", "TrailrunnerSelects",
        "Spring26", ("spring26",), 12, "trail", "Trailrunner GTX", "Lena Marsh",
        ("Boulder", "Colorado", _US), 298, listed=False,
    ),
    _GallerySpec(
        "ridgeline", "G00004amPD3GxZ1k", "Ridgeline Windshell — Lifestyle", "Ridgeline", "Spring26",
        ("spring26",), 14, "hike", "Ridgeline Windshell", "Hana Kato", ("Marin", "California", _US), 285,
    ),
    _GallerySpec(
        "summit_pack", "G0000D7HIdRaQ6RH", "Summit 45 Pack — Launch", "SummitPack", "Spring26",
        ("spring26",), 12, "hike", "Summit 45 Pack", "Priya Natarajan", ("Moab", "Utah", _US), 270,
    ),
    _GallerySpec(
        "coastal", "G0000V9YeVbVlwZy", "Coastal Hike Editorial", "CoastalHike", "Spring26",
        ("spring26",), 14, "hike", "Ridgeline Windshell", "Hana Kato", ("Big Sur", "California", _US), 262,
    ),
    _GallerySpec(
        "best_spring", "G0000d6TlHEgNRLq", "Best of Spring 2026", "BestOf", "Spring26",
        ("spring26",), 0, "trail", "", "Lena Marsh", ("Boulder", "Colorado", _US), 200,
        shared_from=("trail_hero", "ridgeline", "summit_pack", "coastal"),
    ),
    _GallerySpec(
        "alpine_parka", "G00002Nim4F1N5gr", "Alpine Down Parka — Hero", "AlpineParka", "FW25",
        ("fw25",), 14, "alpine", "Alpine Down Parka", "Erik Solberg",
        ("Zermatt", "Valais", "Switzerland"), 520,
    ),
    _GallerySpec(
        "ski_touring", "G0000bYVD6ypC235", "Backcountry Ski Touring", "SkiTouring", "FW25",
        ("fw25",), 16, "ski", "Couloir Shell Pant", "Erik Solberg",
        ("Chamonix", "Auvergne-Rhône-Alpes", "France"), 505,
    ),
    _GallerySpec(
        "ice_climb", "G00007H8Tp6FFSZ9", "Ice Climbing — Ouray", "IceClimb", "FW25",
        ("fw25",), 12, "climb", "Vertical Guide Gloves", "Tomás Reyes", ("Ouray", "Colorado", _US), 495,
    ),
    _GallerySpec(
        "basecamp", "G0000t8t7tkcUGQs", "Basecamp Tent Series", "BasecampTent", "FW25",
        ("fw25",), 10, "camp", "Basecamp 3 Tent", "Tomás Reyes", ("Moab", "Utah", _US), 480,
    ),
    _GallerySpec(
        "anthem", "G0000h5zUCh83JGQ", "Brand Anthem 2026 — Stills", "BrandAnthem", "2026",
        ("campaigns", "press"), 12, "brand", "", "Priya Natarajan", ("Portland", "Oregon", _US), 240,
    ),
    _GallerySpec(
        "cat_footwear", "G0000GlAHm15zfb6", "Footwear — Studio Packshots", "Footwear", "SS26",
        ("catalog",), 16, "studio", "Trailrunner GTX", "Marcus Bell", ("Portland", "Oregon", _US), 320,
        mode="permission", inherit=True,
    ),
    _GallerySpec(
        "cat_apparel", "G0000FWUSwXjrZKj", "Apparel — Ghost Mannequin", "Apparel", "SS26",
        ("catalog",), 16, "studio", "Ridgeline Windshell", "Marcus Bell", ("Portland", "Oregon", _US), 318,
        mode="permission", inherit=True,
    ),
    _GallerySpec(
        "cat_packs", "G0000SxWRU3XDjlt", "Packs & Bags — Studio", "Packs", "SS26",
        ("catalog",), 12, "studio", "Summit 45 Pack", "Marcus Bell", ("Portland", "Oregon", _US), 316,
        mode="permission", inherit=True,
    ),
    _GallerySpec(
        "okafor", "G0000OZ9UJDxEu09", "Maya Okafor — Ultra Trail Portraits", "AthleteOkafor", "2026",
        ("athletes",), 12, "portrait", "Trailrunner GTX", "Lena Marsh",
        ("Funchal", "Madeira", "Portugal"), 150,
    ),
    _GallerySpec(
        "lindqvist", "G0000L4SzfTlLumD", "Jonas Lindqvist — Alpinism", "AthleteLindqvist", "2025",
        ("athletes",), 10, "climb", "Alpine Down Parka", "Erik Solberg",
        ("Abisko", "Norrbotten", "Sweden"), 410,
    ),
    _GallerySpec(
        "ambassador", "G0000XEl4cc9jSL0", "Ambassador Contracts — Photo Approvals", "Ambassador", "2026",
        ("athletes",), 10, "portrait", "", "Hana Kato", ("Boulder", "Colorado", _US), 90,
        mode="permission", listed=False,
        grants=(_GrantSpec("contact", contact_id=DEMO_GUEST_CONTACT_ID, expires_days=60),),
    ),
    _GallerySpec(
        "press_summit", "G0000kU16xDVlQ8k", "Press Kit — Summit Series", "PressSummit", "2026",
        ("press",), 10, "hike", "Summit 45 Pack", "Priya Natarajan", ("Moab", "Utah", _US), 210,
        mode="permission", grants=(_GrantSpec("password", password=PRESS_PASSWORD),),
    ),
    _GallerySpec(
        "press_embargo", "G0000P9vWEyabepJ", "Press Kit — Trailrunner Launch (embargoed)", "PressTrailrunner",
        "2026", ("press",), 10, "trail", "Trailrunner GTX", "Lena Marsh", ("Boulder", "Colorado", _US), 60,
        mode="permission",
        grants=(_GrantSpec("password", password=EMBARGO_PASSWORD, expires_days=3, max_downloads=200),),
    ),
    _GallerySpec(
        "media_day", "G0000e4F0ZPx2gH7", "Media Day 2025 — Outdoor Retailer", "MediaDay", "2025",
        ("press",), 10, "event", "", "Marcus Bell", ("Denver", "Colorado", _US), 380,
        mode="permission", grants=(_GrantSpec("password", password=MEDIA_DAY_PASSWORD, expires_days=-12),),
    ),
    _GallerySpec(
        "lookbook", "G0000YkVbYMOid7G", "Retail Partner Lookbook SS26", "Lookbook", "SS26",
        ("retail",), 14, "retail", "Ridgeline Windshell", "Hana Kato", ("Portland", "Oregon", _US), 180,
        mode="permission", listed=False,
        grants=(_GrantSpec("token", token=LOOKBOOK_TOKEN, max_downloads=10, downloads=7, size=2400),),
    ),
    _GallerySpec(
        "dealer_kit", "G0000QqDG1XESVsY", "Dealer Sell-in Kit FW25", "DealerKit", "FW25",
        ("retail",), 10, "retail", "Alpine Down Parka", "Marcus Bell", ("Denver", "Colorado", _US), 440,
        mode="permission",
        grants=(_GrantSpec("password", password=DEALER_PASSWORD, max_downloads=40, downloads=40),),
    ),
    _GallerySpec(
        "store_window", "G0000TItMU0iajhH", "Store Window Displays", "StoreWindow", "2026",
        ("retail",), 10, "retail", "Trailrunner GTX", "Marcus Bell", ("Seattle", "Washington", _US), 120,
        mode="permission", inherit=True,
    ),
    _GallerySpec(
        "prototypes", "G0000AXEepGipLgJ", "Unreleased Prototypes — Do Not Share", "Prototype", "2027",
        ("archive",), 12, "studio", "Project Kestrel Shell", "Marcus Bell", ("Portland", "Oregon", _US), 45,
        mode="private", listed=False,
    ),
    _GallerySpec(
        "outtakes", "G00006YHbuhpCM1J", "Rejected Outtakes 2025", "Outtakes", "2025",
        ("archive",), 12, "trail", "Trailrunner GTX", "Tomás Reyes", ("Boulder", "Colorado", _US), 470,
        mode="private", listed=False,
    ),
    _GallerySpec(
        "brand_assets", "G0000O9To6xPkET4", "Northwind Logo & Brand Assets", "BrandAssets", "2026",
        (), 10, "brand", "", "Priya Natarajan", ("Portland", "Oregon", _US), 260,
    ),
    _GallerySpec(
        "sustainability", "G0000pIe51A23oBZ", "Sustainability Report 2025", "Sustainability", "2025",
        (), 12, "brand", "", "Hana Kato", ("Portland", "Oregon", _US), 350,
    ),
    _GallerySpec(
        "offsite", "G00009Thj3Vzw6OB", "Team Offsite 2025", "Offsite", "2025",
        (), 8, "event", "", "Marcus Bell", ("Hood River", "Oregon", _US), 400,
        mode="private", listed=False,
    ),
)
# fmt: on


# --------------------------------------------------------------------------- helpers


def slugify(name: str) -> str:
    """URL slug of a container name (`Press Kit — Summit` → `press-kit-summit`)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "gallery"


def _jitter(rng: random.Random, color: tuple[int, int, int], spread: int = 28) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + rng.randint(-spread, spread))) for c in color)
    return (r, g, b)


def _dimensions(rng: random.Random, body: tuple[int, int], position: int) -> tuple[int, int]:
    long_edge, short_edge = body
    if position % 11 == 7:
        return short_edge, short_edge
    if position % 13 == 9:
        return long_edge, long_edge // 3
    if rng.random() < 0.3:
        return short_edge, long_edge
    return long_edge, short_edge


def _grant(rng: random.Random, taken: set[str], spec: _GrantSpec, now: datetime) -> Grant:
    expires = None
    if spec.expires_days is not None:
        expires = now + timedelta(days=spec.expires_days)
    return Grant(
        id=ids.new_id(rng, ids.ACCESS_RIGHT, taken),
        type=spec.type,
        expires=expires,
        max_downloads=spec.max_downloads,
        downloads=spec.downloads,
        contact_id=spec.contact_id,
        group_id=spec.group_id,
        password=spec.password,
        token=spec.token,
        download_image_filetype=spec.filetype,
        download_image_size=spec.size,
    )


def _iptc(
    spec: _GallerySpec, scene: str, scene_keywords: tuple[str, ...], taken_at: datetime, season_label: str
) -> Iptc:
    city, state, country = spec.location
    title = f"{spec.product} — {scene}" if spec.product else scene
    headline = f"{spec.name}: {scene}"
    caption = (
        f"{scene} near {city}, {state}, {country}. "
        f"{'Featuring the ' + spec.product + '. ' if spec.product else ''}"
        f"Northwind Outdoor {season_label}. Photographed by {spec.photographer}."
    )
    keywords: list[str] = []
    for word in (
        *_ACTIVITY_KEYWORDS[spec.activity],
        *scene_keywords,
        *((spec.product,) if spec.product else ()),
        season_label,
        city,
        country,
        "Northwind Outdoor",
    ):
        if word and word not in keywords:
            keywords.append(word)
    return Iptc(
        title=title,
        headline=headline,
        caption=caption,
        keywords=tuple(keywords),
        credit=f"{spec.photographer} / Northwind Outdoor",
        copyright=f"© {taken_at.year} Northwind Outdoor Co. All rights reserved.",
        author=spec.photographer,
        city=city,
        state=state,
        country=country,
    )


def _season_label(season: str) -> str:
    match = re.fullmatch(r"(Spring|SS|FW)(\d\d)", season)
    if not match:
        return season
    names = {"Spring": "Spring", "SS": "Spring/Summer", "FW": "Fall/Winter"}
    return f"{names[match.group(1)]} 20{match.group(2)}"


# --------------------------------------------------------------------------- builder


def build_library(now: datetime, seed: int = DEFAULT_SEED) -> Library:
    """Build the Northwind Outdoor library relative to `now` (aware UTC) with `random.Random(seed)`."""
    now = now.astimezone(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    taken: set[str] = {c.id for c in _COLLECTIONS} | {g.id for g in _GALLERIES}

    org = Organization(DEMO_ORG_ID, DEMO_ORG_NAME)
    users = [
        User(DEMO_USER_ID, DEMO_EMAIL, DEMO_PASSWORD, "Dana", "Whitfield", org_ids=(DEMO_ORG_ID,)),
        User(
            DEMO_GUEST_USER_ID,
            DEMO_GUEST_EMAIL,
            DEMO_GUEST_PASSWORD,
            "Alex",
            "Rivera",
            contact_id=DEMO_GUEST_CONTACT_ID,
            group_ids=(DEMO_DEALER_GROUP_ID,),
        ),
    ]
    contacts = [Contact(DEMO_GUEST_CONTACT_ID, "Alex Rivera", DEMO_GUEST_EMAIL)]

    containers: dict[str, Container] = {}
    key_to_id: dict[str, str] = {}
    for spec in _COLLECTIONS:
        key_to_id[spec.key] = spec.id
        containers[spec.id] = Container(
            id=spec.id,
            kind="collection",
            name=spec.name,
            slug=slugify(spec.name),
            description=spec.description,
            access_id=ids.new_id(rng, ids.ACCESS, taken),
            mode=spec.mode,
            is_listed=spec.listed,
            access_inherit=spec.inherit,
            display_order=0,
            created_at=now,
            modified_at=now,
            parents=[],
            grants=[_grant(rng, taken, g, now) for g in spec.grants],
        )
    for spec in _COLLECTIONS:
        if spec.parent:
            parent = containers[key_to_id[spec.parent]]
            containers[spec.id].parents.append(parent.id)
            parent.children.append(spec.id)

    media: dict[str, Media] = {}
    gallery_media: dict[str, list[str]] = {}
    for spec in _GALLERIES:
        key_to_id[spec.key] = spec.id
        shoot = now - timedelta(days=spec.age_days, hours=rng.randint(0, 20), minutes=rng.randint(0, 59))
        upload = shoot + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 6))
        season_label = _season_label(spec.season)
        number = rng.randint(10, 400)
        body = _CAMERAS[spec.photographer]
        scenes = _SCENES[spec.activity]
        scene_offset = rng.randrange(len(scenes))
        palette_base = _PALETTES[spec.activity]
        own: list[str] = []
        for position in range(spec.count):
            number += rng.randint(1, 7)
            hero = spec.key == "summit_pack" and position in (0, 1, 2)
            width, height = _dimensions(rng, _MEDIUM_FORMAT if hero else body, position)
            factor = rng.uniform(0.56, 0.62) if hero else rng.uniform(0.18, 0.32)
            if spec.activity == "event" and position % 3 == 0:
                width, height = (4032, 3024) if width >= height else (3024, 4032)  # phone snaps
            scene, scene_keywords = scenes[(scene_offset + position) % len(scenes)]
            taken_at = shoot + timedelta(minutes=position * rng.randint(2, 9), seconds=rng.randint(0, 59))
            created = upload + timedelta(seconds=position * rng.randint(5, 40))
            modified = min(created + timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 23)), now)
            media_id = ids.new_id(rng, ids.IMAGE, taken)
            media[media_id] = Media(
                id=media_id,
                file_name=f"NW_{spec.code}_{spec.season}_{number:04d}.jpg",
                file_size=int(width * height * factor),
                width=width,
                height=height,
                rating=rng.choice((0, 0, 1, 2, 3, 3, 4, 4, 5)),
                views=rng.randint(0, 4800),
                searchable=spec.mode != "private",
                model_released=spec.activity not in ("studio", "brand") and rng.random() < 0.8,
                property_released=rng.random() < 0.35,
                taken_at=taken_at,
                created_at=created,
                modified_at=modified,
                owner_id=DEMO_USER_ID,
                organization_id=DEMO_ORG_ID,
                iptc=_iptc(spec, scene, scene_keywords, taken_at, season_label),
                palette=tuple(_jitter(rng, c) for c in palette_base),
                gallery_ids=[spec.id],
            )
            own.append(media_id)
        gallery_media[spec.key] = own

    for spec in _GALLERIES:
        children = list(gallery_media[spec.key])
        for source in spec.shared_from:
            picks = rng.sample(gallery_media[source], 3)
            for media_id in picks:
                media[media_id].gallery_ids.append(spec.id)
            children.extend(picks)
        items = [media[m] for m in children]
        created = min(m.created_at for m in items) - timedelta(hours=1) if items else now
        if spec.shared_from:
            created = now - timedelta(days=spec.age_days)
        modified = max([m.modified_at for m in items] + [created])
        gallery = Container(
            id=spec.id,
            kind="gallery",
            name=spec.name,
            slug=slugify(spec.name),
            description=f"{spec.name} — {_season_label(spec.season)}, photographed by {spec.photographer}.",
            access_id=ids.new_id(rng, ids.ACCESS, taken),
            mode=spec.mode,
            is_listed=spec.listed,
            access_inherit=spec.inherit,
            display_order=0,
            created_at=created,
            modified_at=modified,
            parents=[key_to_id[p] for p in spec.parents],
            children=children,
            grants=[_grant(rng, taken, g, now) for g in spec.grants],
            key_image_id=rng.choice(children) if children else None,
        )
        containers[spec.id] = gallery
        for parent_id in gallery.parents:
            containers[parent_id].children.append(spec.id)

    _finish_collections(containers, now)
    return Library(
        org=org,
        users=users,
        contacts=contacts,
        containers=containers,
        media=media,
        states=dict(SEEDED_STATES),
    )


def _finish_collections(containers: dict[str, Container], now: datetime) -> None:
    """Give containers display orders, collections times spanning their children and key images."""
    roots = sorted((c for c in containers.values() if not c.parents), key=lambda c: c.name)
    for order, root in enumerate(roots, start=1):
        root.display_order = order
    for collection in containers.values():
        for position, child_id in enumerate(collection.children, start=1):
            child = containers.get(child_id)
            if child is not None and child.parents and child.parents[0] == collection.id:
                child.display_order = position

    def span(collection: Container) -> tuple[datetime, datetime]:
        times = []
        for child_id in collection.children:
            child = containers[child_id]
            if child.kind == "collection":
                child.created_at, child.modified_at = span(child)
            times.append((child.created_at, child.modified_at))
        if not times:
            return now, now
        return min(t[0] for t in times) - timedelta(days=2), max(t[1] for t in times)

    for root in roots:
        if root.kind == "collection":
            root.created_at, root.modified_at = span(root)
    for collection in containers.values():
        if collection.kind != "collection":
            continue
        galleries = [containers[c] for c in collection.children if containers[c].kind == "gallery"]
        keyed = [g for g in galleries if g.key_image_id]
        if keyed:
            collection.key_image_id = keyed[0].key_image_id
        else:
            sub = [containers[c] for c in collection.children if containers[c].key_image_id]
            collection.key_image_id = sub[0].key_image_id if sub else None


def demo_oauth_client() -> OAuthClient:
    """The pre-registered OAuth client (`DEMO_OAUTH_CLIENT_ID` / `DEMO_OAUTH_CLIENT_SECRET`)."""
    return OAuthClient(
        id="OAC00yiE5zPtuaS7",
        client_id=DEMO_OAUTH_CLIENT_ID,
        client_secret=DEMO_OAUTH_CLIENT_SECRET,
        name="Northwind Zendesk integration (demo)",
        redirect_uri=None,
    )
