"""The integration ships the brand images Home Assistant and HACS look for.

Home Assistant 2026.3 and later serve `custom_components/<domain>/brand/*.png` as the
integration's icon and logo; the rules for the images are those of home-assistant/brands:
PNG, transparent, trimmed, icons square at 256 px (512 px @2x), logos with their shortest side
128-256 px (256-512 px @2x), each with a dark-theme variant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

BRAND = Path(__file__).parent.parent / "custom_components" / "ev_charge_points" / "brand"
THEMES = ["", "dark_"]
ICONS = [f"{theme}icon{scale}.png" for theme in THEMES for scale in ("", "@2x")]
LOGOS = [f"{theme}logo{scale}.png" for theme in THEMES for scale in ("", "@2x")]


def _open(name: str) -> Image.Image:
    path = BRAND / name
    assert path.is_file(), f"{name} is missing from {BRAND}"
    image = Image.open(path)
    image.load()
    return image


def test_brand_folder_holds_exactly_the_eight_images() -> None:
    assert sorted(path.name for path in BRAND.iterdir()) == sorted(ICONS + LOGOS)


@pytest.mark.parametrize("name", ICONS + LOGOS)
def test_image_is_a_transparent_trimmed_rgba_png(name: str) -> None:
    image = _open(name)

    assert image.format == "PNG"
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1)]
    corners.append((image.width - 1, image.height - 1))
    # The background is transparent, so the image sits on any theme's colour.
    assert [alpha.getpixel(corner) for corner in corners] == [0, 0, 0, 0]
    # Trimmed: the artwork reaches every edge, with no empty margin around it.
    assert alpha.getbbox() == (0, 0, image.width, image.height)


@pytest.mark.parametrize(
    ("name", "side"), [(name, 512 if "@2x" in name else 256) for name in ICONS]
)
def test_icon_is_square_at_its_size(name: str, side: int) -> None:
    assert _open(name).size == (side, side)


@pytest.mark.parametrize(
    ("name", "shortest"),
    [(name, (256, 512) if "@2x" in name else (128, 256)) for name in LOGOS],
)
def test_logo_shortest_side_is_in_range(name: str, shortest: tuple[int, int]) -> None:
    image = _open(name)

    low, high = shortest
    assert low <= min(image.size) <= high
    # A logo is wider than tall: the name sits next to the icon.
    assert image.width > image.height


@pytest.mark.parametrize("name", ["icon", "logo", "dark_icon", "dark_logo"])
def test_2x_image_doubles_its_1x_image(name: str) -> None:
    normal = _open(f"{name}.png")
    double = _open(f"{name}@2x.png")

    # Trimming each rendering can differ by one pixel at the edge.
    assert abs(double.width - 2 * normal.width) <= 1
    assert abs(double.height - 2 * normal.height) <= 1


@pytest.mark.parametrize("name", ["icon.png", "logo.png"])
def test_dark_variant_differs_from_light(name: str) -> None:
    light = _open(name)
    dark = _open(f"dark_{name}")

    assert light.size == dark.size
    assert light.tobytes() != dark.tobytes()
