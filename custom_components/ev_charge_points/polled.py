"""The polled base: Home Assistant's update loop reads the account now and then.

A brand implements `_async_poll`, which reads its client and publishes every charge point
and grid through the base's `_async_publish_charge_point` / `_async_publish_grid`: the same
diff and key listeners a push brand uses, so entities cannot tell the two apart. A failed
poll only takes the link down; entities turn unavailable after the base's grace period, not
on the first missed read. A brand adapts `update_interval` as it likes (faster while a
session runs), and `async_execute_and_confirm` follows a write with a confirming read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN, LOGGER
from .coordinator import EVChargePointsCoordinator

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import timedelta

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .model import AccountData


@callback
def _keep_polling() -> None:
    """The listener that keeps the update loop running (it has nothing to do)."""


class PolledCoordinator[ClientT](EVChargePointsCoordinator[ClientT]):
    """A coordinator fed by reads at an interval (`DataUpdateCoordinator`'s own loop)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: ClientT,
        *,
        update_interval: timedelta,
    ) -> None:
        """Prepare; the first read happens in `async_config_entry_first_refresh`."""
        super().__init__(hass, entry, client, update_interval=update_interval)
        self._keep_polling: CALLBACK_TYPE | None = None

    async def async_config_entry_first_refresh(self) -> None:
        """Read once (setup fails if that fails), then keep polling.

        Entities listen per charge point (`async_add_key_listener`), not through
        `DataUpdateCoordinator`'s listeners, and its update loop only runs while it has one:
        the coordinator holds one of its own until shutdown.
        """
        await super().async_config_entry_first_refresh()
        self._keep_polling = self.async_add_listener(_keep_polling)

    async def _async_poll(self) -> None:
        """Read the account and publish every charge point and grid."""
        raise NotImplementedError

    async def _async_update_data(self) -> AccountData:
        known = set(self.data.charge_points)
        try:
            await self._async_poll()
        except self.client_errors as err:
            self._async_set_link_down()
            if not self.data.charge_points:
                # Nothing read yet (setup): Home Assistant retries the entry later.
                raise UpdateFailed(
                    translation_domain=DOMAIN, translation_key="not_connected"
                ) from err
            LOGGER.debug("%s poll failed: %s", self.brand_name, type(err).__name__)
            # Keep the last data: the grace period decides when entities turn unavailable.
            return self.data
        self._async_set_link_up()
        if added := set(self.data.charge_points) - known:
            self._async_announce_charge_points(added)
        self._async_remove_stale_devices()
        return self.data

    async def async_shutdown(self) -> None:
        """Stop polling and cancel the grace timer."""
        self._stopping = True
        if self._keep_polling is not None:
            self._keep_polling()
            self._keep_polling = None
        self._async_cancel_grace()
        await super().async_shutdown()

    async def async_execute_and_confirm[T](
        self, evse_id: str | None, command: Callable[[ClientT], Awaitable[T]]
    ) -> T:
        """Run a write, then read back at once so entities show what the device now has."""
        result = await self.async_execute(evse_id, command)
        await self.async_refresh()
        return result
