"""The brand registry: what the shared core needs to know about each brand.

A brand registers one `Brand` (built-in brands in `brands/__init__.py`, a test brand from its
test). Setup, the config flow's brand menu, the platforms and the actions find a brand here,
so adding one changes no shared file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .const import VERSION_1_BRAND

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping
    from datetime import tzinfo

    from homeassistant.config_entries import (
        ConfigEntry,
        ConfigFlow,
        ConfigFlowResult,
        OptionsFlow,
    )
    from homeassistant.const import Platform
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity

    from .coordinator import EVChargePointsCoordinator
    from .history import SessionSource

    type AnyCoordinator = EVChargePointsCoordinator[Any]
    type EntityFactory = Callable[[AnyCoordinator, str], Iterable[Entity]]
    type FlowStep = Callable[[ConfigFlow, Any], Awaitable[ConfigFlowResult]]

# Key in entry.data naming the entry's brand (config entry version 2 on).
CONF_BRAND = "brand"


@dataclass(frozen=True, kw_only=True)
class Brand:
    """One brand of charge points.

    `create_coordinator` builds the brand's client and coordinator for an entry (not yet
    connected). `flow_steps` are the brand's config-flow steps by step id: the brand menu
    opens the step named like the brand's key; "reauth_brand" and "reconfigure_brand" take
    over reauth and reconfigure of the brand's entries. `options_flow` builds its options.
    `entities` adds entities of the brand's own per platform (charge point id in, entities
    out), `account_entities` those of the whole account; `setup_actions` registers the brand's
    own actions once. `session_source` builds the source of completed sessions (calendar,
    statistics, sessions action); `redact` adds the brand's secret keys to diagnostics.
    `server_zone` is the zone of a server that sends naive local times (the lifetime meter
    tries both readings of its repeated autumn hour); None when the server sends offsets.
    `stores` names the brand's own per-entry stores (`stores.py`), removed with the entry.
    """

    key: str
    name: str
    create_coordinator: Callable[[HomeAssistant, ConfigEntry[Any]], AnyCoordinator]
    flow_steps: Mapping[str, FlowStep] = field(default_factory=dict)
    options_flow: Callable[[], OptionsFlow] | None = None
    entities: Mapping[Platform, EntityFactory] = field(default_factory=dict)
    account_entities: Mapping[Platform, Callable[[ConfigEntry[Any]], Iterable[Entity]]] = field(
        default_factory=dict
    )
    setup_actions: Callable[[HomeAssistant], None] | None = None
    session_source: (
        Callable[[HomeAssistant, ConfigEntry[Any], AnyCoordinator], SessionSource] | None
    ) = None
    redact: frozenset[str] = frozenset()
    server_zone: tzinfo | None = None
    stores: tuple[str, ...] = ()


_BRANDS: dict[str, Brand] = {}


def register_brand(brand: Brand) -> Callable[[], None]:
    """Add a brand; returns the function that removes it again (tests)."""
    if brand.key in _BRANDS:
        msg = f"brand {brand.key} is registered already"
        raise ValueError(msg)
    _BRANDS[brand.key] = brand

    def _unregister() -> None:
        _BRANDS.pop(brand.key, None)

    return _unregister


def get_brand(key: str) -> Brand | None:
    """The brand registered under `key`."""
    return _BRANDS.get(key)


def registered_brands() -> list[Brand]:
    """Every registered brand, in registration order (the menu's order)."""
    return list(_BRANDS.values())


def brand_of(entry: ConfigEntry[Any]) -> Brand | None:
    """The entry's brand; an entry not migrated yet (version 1) is Blue Current's."""
    return get_brand(entry.data.get(CONF_BRAND, VERSION_1_BRAND if entry.version == 1 else ""))
