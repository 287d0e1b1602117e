"""Pillow rendering of stand-in photos: a per-media gradient landscape with the file name drawn small.

Renders are deterministic (seeded by the media id) and cached with `functools.lru_cache`.
"""

from __future__ import annotations

import functools
import io
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

MIN_EDGE = 1
MAX_EDGE = 4000

Color = tuple[int, int, int]


def clamp(value: int) -> int:
    """Clamp an edge length to 1-4000 px."""
    return max(MIN_EDGE, min(MAX_EDGE, value))


def fit_size(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """Size of a `width` x `height` image scaled to fit the box (never upscaled), clamped."""
    box_width, box_height = clamp(box_width), clamp(box_height)
    scale = min(box_width / width, box_height / height, 1.0)
    return clamp(round(width * scale)), clamp(round(height * scale))


def long_edge_size(width: int, height: int, long_edge: int) -> tuple[int, int]:
    """Size with the longer side equal to `long_edge` (clamped), aspect kept."""
    long_edge = clamp(long_edge)
    if width >= height:
        return long_edge, clamp(round(height * long_edge / width))
    return clamp(round(width * long_edge / height)), long_edge


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ImportError, TypeError):  # no FreeType: fall back to the bitmap font
        return ImageFont.load_default()


@functools.lru_cache(maxsize=128)
def render_jpeg(media_id: str, label: str, width: int, height: int, palette: tuple[Color, ...]) -> bytes:
    """JPEG bytes of exactly `width` x `height` (clamped) for one media item."""
    width, height = clamp(width), clamp(height)
    rng = random.Random(media_id)
    sky, ground, accent = (palette + ((128, 128, 128),) * 3)[:3]
    gradient = Image.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, sky, ground).convert("RGB")
    draw = ImageDraw.Draw(image)
    # sun / moon
    radius = max(1, int(min(width, height) * rng.uniform(0.06, 0.14)))
    cx, cy = int(width * rng.uniform(0.15, 0.85)), int(height * rng.uniform(0.12, 0.4))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=accent)
    # two mountain ridges
    for layer, shade in ((0.55, 0.75), (0.72, 0.5)):
        points = [(0, height)]
        steps = rng.randint(4, 8)
        for step in range(steps + 1):
            x = int(width * step / steps)
            y = int(height * (layer + rng.uniform(-0.18, 0.12)))
            points.append((x, y))
        points.append((width, height))
        color = tuple(int(c * shade) for c in ground)
        draw.polygon(points, fill=color)
    if width >= 96 and height >= 32:
        size = max(9, min(28, height // 30))
        font = _font(size)
        margin = max(4, size // 2)
        draw.text((margin + 1, height - size - margin + 1), label, fill=(0, 0, 0), font=font)
        draw.text((margin, height - size - margin), label, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
