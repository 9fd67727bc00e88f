"""veCharge's coordinator: one charger's Socket.IO connection, kept open by the push base.

Each session connects, publishes the charger document the server sends first, then every
`statusChanged` and `newLog`, until the connection ends. How it ended decides what follows:

- the charger was switched off (`statusChanged OFF`, then the server closes the socket, as the
  seed says): expected. The point already shows "off"; the base keeps it available and
  reconnects after the first backoff step, and the fresh connection (the server keeps it open
  while the charger is off) shows a switch-on from the veCharge app.
- the token or charger id was refused: reauth, no reconnect loop.
- anything else (network loss, a close without an announced off): link down, backoff; the
  entities go unavailable only after the grace period.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.core import callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady, HomeAssistantError

from custom_components.ev_charge_points.api.vecharge import (
    ChargerStatus,
    DisconnectReason,
    VeChargeClient,
    VeChargeConnectionError,
    VeChargeError,
    VeChargeRefusedError,
    VeChargeTimeoutError,
)
from custom_components.ev_charge_points.const import DOMAIN, LOGGER
from custom_components.ev_charge_points.errors import translated_error
from custom_components.ev_charge_points.push import AfterError, PushCoordinator

from .const import (
    COMMAND_TIMEOUT,
    CONF_CHARGER_ID,
    MANUFACTURER,
    STABLE_CONNECTION,
    VECHARGE_CAPABILITIES,
)
from .errors import explain
from .mapping import ChargerState, apply, charge_point

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.api.vecharge import VeChargeEvent
    from custom_components.ev_charge_points.model import Capability


class ChargerSwitchedOffError(Exception):
    """The server closed the socket because the charger was switched off (no outage)."""


class VeChargeCoordinator(PushCoordinator[VeChargeClient]):
    """Keeps one veCharge charger's socket open and its data current."""

    brand_name: ClassVar[str] = "veCharge"
    manufacturer: ClassVar[str] = MANUFACTURER
    client_errors: ClassVar[tuple[type[Exception], ...]] = (VeChargeError,)

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], client: VeChargeClient
    ) -> None:
        """Prepare; nothing connects until `async_config_entry_first_refresh`."""
        super().__init__(hass, entry, client)
        self.charger_id: str = entry.data[CONF_CHARGER_ID]
        self._state = ChargerState()
        # Commands waiting for the server to report the status they asked for.
        self._confirmations: list[tuple[ChargerStatus, asyncio.Future[None]]] = []

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002
        """Every veCharge charger offers the same (the protocol has no model flags)."""
        return VECHARGE_CAPABILITIES

    # --- push base hooks ---------------------------------------------------------------------

    @callback
    def _async_prepare(self) -> None:
        self._cleanup.append(self.client.subscribe(self._async_on_event))

    def _setup_error(self, err: Exception) -> Exception:
        if isinstance(err, VeChargeRefusedError):
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="vecharge_refused"
            )
        return ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="vecharge_cannot_connect",
            translation_placeholders={"error": str(err) or type(err).__name__},
        )

    def _closed_on_purpose(self, error: Exception) -> bool:
        return isinstance(error, ChargerSwitchedOffError)

    async def _async_after_error(self, error: Exception) -> AfterError:
        if isinstance(error, VeChargeRefusedError):
            LOGGER.warning("veCharge refused the token or the charger id; please reauthenticate")
            self.config_entry.async_start_reauth(self.hass)
            return AfterError.STOP
        return AfterError.BACKOFF

    async def _async_close(self) -> None:
        await self.client.disconnect()

    # --- the connection ------------------------------------------------------------------------

    async def _async_session(self) -> None:
        """Run one connection until it ends; raise what ended it (see the module docstring)."""
        self._delivered_in_session = False
        try:
            # The first document reaches `_async_on_event` before connect() returns.
            await self.client.connect()
        except BaseException:
            self._async_set_link_down()
            raise
        # Setup needs the charge point even when no document came in time.
        self._async_publish()
        self._delivered_in_session = True
        self._async_set_link_up()
        opened = self.hass.loop.time()
        try:
            closed = await self.client.wait_disconnected()
        finally:
            await self.client.disconnect()  # harmless once closed; on cancel it closes
        if closed.reason is DisconnectReason.CLIENT_CLOSED:
            self._async_set_link_down()
            return
        if closed.reason is DisconnectReason.CHARGER_OFF:
            raise ChargerSwitchedOffError
        if self.hass.loop.time() - opened < STABLE_CONNECTION:
            # A server that closes every connection at once must not be hammered every
            # second: only a connection that lasted starts the backoff over.
            self._delivered_in_session = False
        self._async_set_link_down()
        if closed.error is not None:
            raise closed.error
        if closed.reason is DisconnectReason.REFUSED:
            raise VeChargeRefusedError("refused while connected")
        raise VeChargeConnectionError(f"connection ended: {closed.reason}")

    @callback
    def _async_on_event(self, event: VeChargeEvent) -> None:
        state = apply(self._state, event)
        if state is self._state:
            return
        self._state = state
        self._async_publish()
        for wanted, confirmed in self._confirmations:
            if state.status is wanted and not confirmed.done():
                confirmed.set_result(None)

    @callback
    def _async_publish(self) -> None:
        self._async_publish_charge_point(
            charge_point(self.charger_id, self._state), has_status=self._state.status is not None
        )

    def connection_diagnostics(self) -> dict[str, object]:
        """The link's state and the client's event counters."""
        stats = self.client.stats
        return {
            **super().connection_diagnostics(),
            "events_received": stats.received,
            "events_dropped_unknown": stats.dropped_unknown,
            "events_dropped_malformed": stats.dropped_malformed,
        }

    # --- commands --------------------------------------------------------------------------

    def _check_can_send(self) -> None:
        if not self.link_up:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="vecharge_not_connected"
            )

    def _command_error(self, err: Exception) -> HomeAssistantError:
        return translated_error(
            err,
            fallback_key="vecharge_communication_error",
            error_type=HomeAssistantError,
            explain=explain,
        )

    async def async_set_charging(self, evse_id: str, on: bool) -> None:  # noqa: FBT001
        """Switch the charger on or off; return once the server reports the new state.

        The request goes out by REST; the confirmation comes through the data path: the
        `statusChanged` on the open socket or, when the socket closes meanwhile (the server
        closes it at every switch-off), the document of the next connection.
        """
        status = ChargerStatus.ON if on else ChargerStatus.OFF

        async def _set(client: VeChargeClient) -> None:
            confirmed: asyncio.Future[None] = self.hass.loop.create_future()
            waiter = (status, confirmed)
            self._confirmations.append(waiter)
            try:
                await client.set_status(status)
                try:
                    async with asyncio.timeout(COMMAND_TIMEOUT):
                        await confirmed
                except TimeoutError as err:
                    raise VeChargeTimeoutError(
                        f"the server did not confirm {status} in {COMMAND_TIMEOUT} s"
                    ) from err
            finally:
                self._confirmations.remove(waiter)

        await self.async_execute(evse_id, _set)
