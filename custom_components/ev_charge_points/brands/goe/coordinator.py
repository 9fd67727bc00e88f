"""The go-e coordinator: adaptive polling of one charger or controller, local or cloud.

Most polls ask only for four sentinel keys (car state, charging allowed, force state,
current limit): tens of bytes instead of the whole status. When one of them changed, the
live keys (meter, energy, reason, error) are read at once; they are also read every two
minutes while a car is connected. The configuration, identity and statistics keys come with
them every 10 minutes and right after a write. A car connected makes the polls fast (a
change on the device shows within 10 s), an idle charger slow; the cloud is polled more
slowly and its `Last-Modified` decides whether a reply is news. A lock keeps one request per
device in flight: polls and writes wait for each other. A write is followed by a read that
confirms it (and one more after the charger's logic ran), never by an assumed state.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.goe import (
    DeviceKind,
    ForceState,
    GoeApiDisabledError,
    GoeAuthError,
    GoeBusyError,
    GoeChargerStatus,
    GoeClient,
    GoeCloudForbiddenError,
    GoeConnectionError,
    GoeDeviceOfflineError,
    GoeError,
    GoeKeyRejectedError,
    KeyGroup,
    PhaseSwitchMode,
    needs_legacy_filter,
)
from custom_components.ev_charge_points.const import DOMAIN, MIN_CHARGE_CURRENT
from custom_components.ev_charge_points.errors import translated_error
from custom_components.ev_charge_points.model import Capability
from custom_components.ev_charge_points.polled import PolledCoordinator

from .const import (
    AFTER_WRITE_DELAY,
    CLOUD_FAST_INTERVAL,
    CLOUD_IDLE_INTERVAL,
    CONF_CONNECTION,
    CONF_KIND,
    CONF_SERIAL,
    CONFIG_INTERVAL,
    CONNECTION_CLOUD,
    FAST_INTERVAL,
    IDLE_INTERVAL,
    LIVE_INTERVAL,
    MANUFACTURER,
)
from .mapping import charger_model, controller_model

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

_LIVE_ONLY = (KeyGroup.LIVE,)
# The keys that change when something happens on the device, and their model fields.
SENTINEL_KEYS = ("car", "alw", "frc", "amp")
_SENTINEL_FIELDS = ("car_state", "allowed_to_charge", "force_state", "current_limit")
_LIVE_AND_SLOW = (KeyGroup.LIVE, KeyGroup.CONFIGURATION, KeyGroup.IDENTITY, KeyGroup.STATISTICS)
# The lifetime meter moves while charging: read with every live poll.
_LIVE_EXTRA = ("eto",)
_CONTROLLER_LIVE = (KeyGroup.CONTROLLER_CATEGORIES,)
_CONTROLLER_ALL = (KeyGroup.IDENTITY, KeyGroup.CONTROLLER_CATEGORIES)

# Neutral capabilities and the status key each needs (present in the device's reply).
_KEYED_CAPABILITIES: dict[Capability, str] = {
    Capability.VEHICLE_STATE: "car",
    Capability.METERING: "nrg",
    Capability.CHARGING_SWITCH: "frc",
    Capability.CURRENT_LIMIT: "amp",
}


class GoeCoordinator(PolledCoordinator[GoeClient]):
    """Polls one go-e device; its commands write and then read back."""

    brand_name: ClassVar[str] = "go-e"
    manufacturer: ClassVar[str | None] = MANUFACTURER
    client_errors: ClassVar[tuple[type[Exception], ...]] = (GoeError,)

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any], client: GoeClient) -> None:
        """Prepare; the first read happens in `async_config_entry_first_refresh`."""
        self.cloud = entry.data.get(CONF_CONNECTION) == CONNECTION_CLOUD
        super().__init__(hass, entry, client, update_interval=self._interval(fast=False))
        self.serial: str = entry.data[CONF_SERIAL]
        self.kind = DeviceKind(entry.data.get(CONF_KIND, DeviceKind.CHARGER))
        self._lock = asyncio.Lock()
        self._live: GoeChargerStatus | None = None
        self._slow: GoeChargerStatus | None = None
        self._slow_at: datetime | None = None
        self._slow_due = True
        self._live_at: datetime | None = None
        self._live_due = True
        self._after_write = False
        self._last_modified: datetime | None = None
        self._keys: frozenset[str] = frozenset()
        self._name: str | None = None

    def _interval(self, *, fast: bool) -> Any:
        if self.cloud:
            return CLOUD_FAST_INTERVAL if fast else CLOUD_IDLE_INTERVAL
        return FAST_INTERVAL if fast else IDLE_INTERVAL

    # --- what the device offers ------------------------------------------------------------

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002 - one device
        """What the device reported keys for; a controller only measures."""
        found = {Capability.STATUS, Capability.REBOOT}
        if self.kind is DeviceKind.CHARGER:
            found.update(
                capability for capability, key in _KEYED_CAPABILITIES.items() if key in self._keys
            )
        return frozenset(found)

    def has_key(self, key: str) -> bool:
        """Whether the device reported `key` (go-e's own entities exist only then)."""
        return key in self._keys

    # --- polling ---------------------------------------------------------------------------

    async def _async_poll(self) -> None:
        async with self._lock:
            try:
                if self.kind is DeviceKind.CONTROLLER:
                    await self._async_poll_controller()
                else:
                    await self._async_poll_charger()
            except GoeCloudForbiddenError:
                raise  # offline or a refused key: the docs blur them; treated as "try later"
            except GoeAuthError as err:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="goe_invalid_api_key"
                ) from err

    async def _async_poll_controller(self) -> None:
        groups = _CONTROLLER_ALL if self._slow_due or self._name is None else _CONTROLLER_LIVE
        status = await self.client.get_controller_status(groups)
        if status.friendly_name:
            self._name = status.friendly_name
        self._slow_due = False
        self._keys = status.keys
        self._async_publish_charge_point(
            controller_model(self.serial, status, self._name), has_status=True
        )

    def _slow_is_due(self) -> bool:
        return (
            self._slow_due
            or self._slow_at is None
            or dt_util.utcnow() - self._slow_at >= CONFIG_INTERVAL
        )

    async def _async_poll_charger(self) -> None:
        """One poll: a full read when due, else the live keys when due, else the sentinel.

        The sentinel asks only for the keys that change when something happens on the
        device (car plugged in or out, charging allowed or stopped, force state, current
        limit set in the app); when one of them changed, the live keys are read at once.
        """
        now = dt_util.utcnow()
        if self._slow_is_due():
            await self._async_read_charger(_LIVE_AND_SLOW, slow=True)
        elif self._live_is_due(now):
            await self._async_read_charger(_LIVE_ONLY, slow=False)
        else:
            data, _ = await self.client.get_raw_status(SENTINEL_KEYS)
            sentinel = GoeChargerStatus.from_wire(data)
            live = self._live
            if live is None or any(
                getattr(sentinel, field) != getattr(live, field) for field in _SENTINEL_FIELDS
            ):
                await self._async_read_charger(_LIVE_ONLY, slow=False)
        self._adapt_interval()

    def _live_is_due(self, now: datetime) -> bool:
        if self._live_due or self._live_at is None:
            return True
        connected = self._live is not None and bool(self._live.car_connected)
        interval = LIVE_INTERVAL if connected else CONFIG_INTERVAL
        return now - self._live_at >= interval

    async def _async_read_charger(self, groups: tuple[KeyGroup, ...], *, slow: bool) -> None:
        status = await self.client.get_charger_status(groups, extra_keys=_LIVE_EXTRA)
        modified = status.last_modified
        if (
            modified is not None
            and self._last_modified is not None
            and (modified < self._last_modified)
        ):
            # The cloud answered from an older snapshot than one already shown: not news.
            return
        self._last_modified = modified or self._last_modified
        now = dt_util.utcnow()
        if slow:
            self._slow, self._slow_at, self._slow_due = status, now, False
            legacy = needs_legacy_filter(status.firmware)
            if legacy != self.client.legacy_filter:
                self.client.legacy_filter = legacy
        self._live, self._live_at, self._live_due = status, now, False
        assert self._slow is not None  # noqa: S101 - read above on the first poll
        self._keys = status.keys | self._slow.keys
        self._async_publish_charge_point(
            charger_model(self.serial, status, self._slow), has_status=True
        )

    def _adapt_interval(self) -> None:
        """Fast with a car connected (or right after a write), slow when idle."""
        if self._after_write:
            # The charger's logic has not run yet: read the live keys again shortly.
            self._after_write = False
            self._live_due = True
            self.update_interval = AFTER_WRITE_DELAY
            return
        connected = self._live is not None and bool(self._live.car_connected)
        self.update_interval = self._interval(fast=connected)

    # --- commands --------------------------------------------------------------------------

    def _command_error(self, err: Exception) -> HomeAssistantError:
        return translated_error(
            err,
            fallback_key="goe_communication_error",
            error_type=HomeAssistantError,
            explain=_explain,
        )

    async def async_execute[T](
        self, evse_id: str | None, command: Callable[[GoeClient], Awaitable[T]]
    ) -> T:
        """One request at a time per device: a write waits for a running poll."""
        async with self._lock:
            return await super().async_execute(evse_id, command)

    async def _async_write(self, command: Callable[[GoeClient], Awaitable[object]]) -> None:
        """Write, read everything back at once, and once more after the logic ran."""
        await self.async_execute(self.serial, command)
        self._slow_due = True
        self._after_write = True
        await self.async_refresh()

    async def async_set_charging(self, evse_id: str, on: bool) -> None:  # noqa: ARG002, FBT001
        """On: the charger's own logic decides (`frc` neutral); off: do not charge."""
        await self.async_set_force_state(ForceState.NEUTRAL if on else ForceState.OFF)

    async def async_set_force_state(self, state: ForceState) -> None:
        """`frc`: neutral, off (do not charge) or on (charge now)."""
        await self._async_write(lambda client: client.set_force_state(state))

    async def async_set_phase_mode(self, mode: PhaseSwitchMode) -> None:
        """`psm`: automatic, 1-phase or 3-phase."""
        await self._async_write(lambda client: client.set_phase_mode(mode))

    async def async_set_pv_surplus(self, *, on: bool) -> None:
        """`fup`: charge from PV surplus."""
        await self._async_write(lambda client: client.set_use_pv_surplus(enabled=on))

    async def async_set_energy_limit(self, kwh: float) -> None:
        """`dwo`: stop the session after `kwh` (0 switches the limit off)."""
        watt_hours = None if kwh <= 0 else round(kwh * 1000)
        await self._async_write(lambda client: client.set_energy_limit(watt_hours))

    async def async_push_pv_data(
        self, grid: float, pv: float | None, battery: float | None
    ) -> None:
        """`ids`: PV data for the charger's surplus logic (no read back: sent every few s)."""
        await self.async_execute(
            self.serial, lambda client: client.push_inverter_data(grid, pv, battery)
        )

    async def async_set_current_limit(
        self,
        evse_id: str,  # noqa: ARG002
        value: float | None,
        *,
        only_if_missing: bool = False,  # noqa: ARG002 - the device keeps its own limit
    ) -> None:
        """`amp`; None (no ceiling) writes the charger's maximum (`ama`)."""
        maximum = self._slow.absolute_max_current if self._slow is not None else None
        amps = maximum if value is None else round(value)
        if amps is None:
            return
        amps = max(amps, int(MIN_CHARGE_CURRENT))
        await self._async_write(lambda client: client.set_current_limit(amps))

    def current_limit_known(self, evse_id: str) -> bool:
        """Known once the device reported `amp`."""
        return self.current_limit(evse_id) is not None

    def current_limit(self, evse_id: str) -> float | None:
        """The device's `amp`."""
        point = self.data.charge_points.get(evse_id)
        return None if point is None else point.current_limit

    async def async_reboot(self, evse_id: str) -> None:  # noqa: ARG002
        """`rst`: restart the device; the polls show it back."""
        await self._async_write(lambda client: client.reboot())

    # --- diagnostics -------------------------------------------------------------------------

    def connection_diagnostics(self) -> dict[str, object]:
        """The link, the polling and the keys the device does not know."""
        return {
            **super().connection_diagnostics(),
            "cloud": self.cloud,
            "kind": self.kind.value,
            "update_interval": self.update_interval.total_seconds()
            if self.update_interval
            else None,
            "unsupported_keys": sorted(self.client.unsupported_keys),
        }


def _explain(err: BaseException) -> tuple[str, dict[str, str]] | None:
    """The go-e failures with a message of their own."""
    if isinstance(err, GoeKeyRejectedError):
        return "goe_rejected", {"key": err.key, "reason": str(err.text)}
    if isinstance(err, GoeApiDisabledError):
        return "goe_api_disabled", {}
    if isinstance(err, GoeBusyError):
        return "goe_busy", {}
    if isinstance(err, GoeCloudForbiddenError | GoeDeviceOfflineError):
        return "goe_device_offline", {}
    if isinstance(err, GoeConnectionError):
        return "goe_cannot_connect", {}
    return None
