"""What the Blue Current coordinator's mixins use of the coordinator they are mixed into.

The schedules (`schedules.py`), charge cards (`cards.py`) and smart charging
(`smart_charging.py`) mixins share one declaration of it, for the type checker only: at run
time this base is empty and `BlueCurrentCoordinator` provides everything named here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
    from custom_components.ev_charge_points.model import AccountData, Capability

    from .app_api import BlueCurrentAppApi
    from .mapping import PointState
    from .memory import AccountMemory


class CoordinatorMixinHost:
    """The coordinator's attributes and methods the Blue Current mixins rely on."""

    if TYPE_CHECKING:
        hass: HomeAssistant
        config_entry: ConfigEntry[Any]
        client: BlueCurrentClient
        app_api: BlueCurrentAppApi
        memory: AccountMemory
        data: AccountData
        link_up: bool
        _points: dict[str, PointState]

        def _async_notify_points(self) -> None: ...
        def _async_notify_key(self, key: str, changed: frozenset[str] | None = None) -> None: ...
        async def async_execute[T](  # noqa: D102 - the coordinator's
            self, evse_id: str | None, command: Callable[[BlueCurrentClient], Awaitable[T]]
        ) -> T: ...
        async def async_execute_app_only(  # noqa: D102 - the coordinator's
            self,
            evse_id: str,
            command: Callable[[BlueCurrentClient], Awaitable[object]],
            *,
            capability: Capability | None = None,
        ) -> None: ...
