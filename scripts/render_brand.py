"""Render the brand artwork in docs/brand/*.svg to the PNGs the integration ships.

Home Assistant (2026.3 and later) and HACS read the icon and logo from
custom_components/ev_charge_points/brand/. The committed PNGs are what ships: this script is only
needed after changing an SVG. It needs `rsvg-convert` (Debian: `apt-get install librsvg2-bin`)
and the DejaVu Sans Bold font for the logo's text (Debian: `fonts-dejavu-core`), plus Pillow
(in the project's venv) to trim and compress.

Usage: .venv/bin/python scripts/render_brand.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "docs" / "brand"
TARGET = REPO / "custom_components" / "ev_charge_points" / "brand"

# (source SVG, shipped PNG, rendered height in pixels). The brands rules: icons 256x256 and
# 512x512 at @2x; logos with their shortest side 128-256 px (256-512 px at @2x).
RENDERS = [
    ("icon.svg", "icon.png", 256),
    ("icon.svg", "icon@2x.png", 512),
    ("dark_icon.svg", "dark_icon.png", 256),
    ("dark_icon.svg", "dark_icon@2x.png", 512),
    ("logo.svg", "logo.png", 128),
    ("logo.svg", "logo@2x.png", 256),
    ("dark_logo.svg", "dark_logo.png", 128),
    ("dark_logo.svg", "dark_logo@2x.png", 256),
]


def render(svg: Path, png: Path, height: int, rsvg_convert: str) -> None:
    """Render one SVG at a height, trim the transparent margin and write an optimised PNG."""
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.png"
        subprocess.run(  # noqa: S603 - a fixed tool on our own files
            [rsvg_convert, "--height", str(height), "--output", str(raw), str(svg)], check=True
        )
        with Image.open(raw) as image:
            rgba = image.convert("RGBA")
    # The brands rules want trimmed images: no empty border around the artwork.
    box = rgba.getchannel("A").getbbox()
    if box is None:
        raise SystemExit(f"{svg.name} rendered to an empty image")
    trimmed = rgba.crop(box)
    trimmed.save(png, optimize=True)
    print(f"{png.relative_to(REPO)}: {trimmed.width}x{trimmed.height}")


def main() -> None:
    """Render every brand image."""
    rsvg_convert = shutil.which("rsvg-convert")
    if rsvg_convert is None:
        sys.exit("rsvg-convert not found: apt-get install librsvg2-bin")
    TARGET.mkdir(exist_ok=True)
    for svg_name, png_name, height in RENDERS:
        render(SOURCE / svg_name, TARGET / png_name, height, rsvg_convert)


if __name__ == "__main__":
    main()
