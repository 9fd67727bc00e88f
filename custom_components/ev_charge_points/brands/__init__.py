"""Brands of the integration: each a client, a coordinator subclass and its own flow steps.

Importing this package registers the built-in brands; it is the only shared module that
names them (the composition root, imported by the integration's `__init__`).
"""

from __future__ import annotations

from custom_components.ev_charge_points.registry import register_brand

from .bluecurrent.brand import BLUE_CURRENT
from .goe.brand import GOE
from .vecharge.brand import VECHARGE

BUILT_IN_BRANDS = (BLUE_CURRENT, GOE, VECHARGE)
__all__ = ["BLUE_CURRENT", "BUILT_IN_BRANDS", "GOE", "VECHARGE"]

for _brand in BUILT_IN_BRANDS:
    register_brand(_brand)
