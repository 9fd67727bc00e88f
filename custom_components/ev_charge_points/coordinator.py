"""Push coordinator for one Blue Current account (one config entry).

One websocket carries every charge point of the account. The coordinator keeps it open in an
entry background task, reconnects with capped exponential backoff and full jitter, and turns
the client's typed messages into the brand-neutral model in `model.py`.

A push for one charge point (or grid) only wakes the entities that registered for that key
with `async_add_key_listener`, and of those only the ones that read a field the push changed;
connection-state changes wake everybody.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.bluecurrent import (
    NO_CARD,
    Activity,
    BlueCurrentClient,
    BlueCurrentConnectionError,
    BlueCurrentError,
    BlueCurrentInvalidTokenError,
    BlueCurrentRequestLimitError,
    ChargePoint,
    ChargePoints,
    ChargePointSettings,
    ChargePointStatus,
    GridCurrent,
    GridStatus,
    SettingResult,
    VehicleStatus,
    Weekday,
    next_reset,
)
from .api.bluecurrent.const import SETTING_LINKED_CHARGE_CARDS_ONLY, SETTING_PLUG_AND_CHARGE
from .const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
    DOMAIN,
    ISSUE_REQUEST_LIMIT,
    LOGGER,
    MANUFACTURER_BLUE_CURRENT,
    RECONNECT_BASE_DELAY,
    RECONNECT_JITTER,
    RECONNECT_MAX_DELAY,
    SETUP_TIMEOUT,
    UNAVAILABLE_GRACE_PERIOD,
)
from .errors import format_reset_time, translated_error
from .model import (
    AccountData,
    ChargePointData,
    ChargerActivity,
    GridData,
    VehicleState,
    changed_fields,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from .api.bluecurrent.models import (
        BlueCurrentMessage,
        ChargeCard,
        ChargeCards,
        OverrideCurrentSchedule,
    )
    from .history import HistoryManager

type EVChargePointsConfigEntry = ConfigEntry[BlueCurrentRuntimeData]
type PointEventCallback = Callable[[str, dict[str, Any]], None]
# A key listener and the model fields it reads (None: every change wakes it).
type _KeyListener = tuple[CALLBACK_TYPE, frozenset[str] | None]


@dataclass
class BlueCurrentRuntimeData:
    """What a loaded entry keeps in `entry.runtime_data`."""

    client: BlueCurrentClient
    coordinator: BlueCurrentCoordinator
    history: HistoryManager


def backoff_delay(
    attempt: int,
    *,
    base: float = RECONNECT_BASE_DELAY,
    cap: float = RECONNECT_MAX_DELAY,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Delay before reconnect `attempt` (0-based): jittered below min(cap, base * 2**attempt).

    The jitter spreads the reconnects of many installations after a server outage instead
    of letting them arrive in lockstep (see RECONNECT_JITTER and RECONNECT_MAX_DELAY).
    """
    ceiling = min(cap, base * 2 ** min(attempt, 32))
    return uniform(ceiling * (1 - RECONNECT_JITTER), ceiling)


def _enum_map[E: StrEnum](source: type[StrEnum], target: type[E]) -> dict[StrEnum, E]:
    """Client enum member -> the model's member of the same value (values it lacks: absent)."""
    targets = {member.value: member for member in target}
    return {member: targets[member.value] for member in source if member.value in targets}


# Looked up on every push: a dict is much cheaper than calling the enum by value.
_ACTIVITIES = _enum_map(Activity, ChargerActivity)
_VEHICLE_STATES = _enum_map(VehicleStatus, VehicleState)


@dataclass(slots=True)
class _PointState:
    """Everything the client told us about one charge point, latest value wins."""

    info: ChargePoint
    status: ChargePointStatus | None = None
    activity: Activity | None = None
    plug_and_charge: bool | None = None
    linked_charge_cards_only: bool | None = None
    smart_charging: bool | None = None

    def apply_info(self, info: ChargePoint) -> None:
        """Take the account's view of the point (CHARGE_POINTS)."""
        self.info = info
        if info.activity is not None:
            self.activity = info.activity
        if info.plug_and_charge.value is not None:
            self.plug_and_charge = info.plug_and_charge.value
        if (linked := info.linked_charge_cards_only) is not None:
            self.linked_charge_cards_only = linked
        self.smart_charging = info.smart_charging

    def apply_status(self, status: ChargePointStatus) -> None:
        """Merge a CH_STATUS; keys the frame did not carry keep their value."""
        if "activity" in status.present:
            self.activity = status.activity
        self.status = status.merged_onto(self.status)

    def apply_settings(self, settings: ChargePointSettings) -> None:
        """Merge a CH_SETTINGS."""
        if "plug_and_charge" in settings.present and settings.plug_and_charge.value is not None:
            self.plug_and_charge = settings.plug_and_charge.value
        if "public_charging" in settings.present:
            linked = settings.linked_charge_cards_only
            if linked is not None:
                self.linked_charge_cards_only = linked
        if "smart_charging" in settings.present and settings.smart_charging is not None:
            self.smart_charging = settings.smart_charging

    def apply_setting_result(self, result: SettingResult) -> None:
        """Take a setting the server confirmed."""
        if result.setting == SETTING_PLUG_AND_CHARGE:
            self.plug_and_charge = result.value
        elif result.setting == SETTING_LINKED_CHARGE_CARDS_ONLY:
            self.linked_charge_cards_only = result.value

    def to_model(self, grid_id: str | None) -> ChargePointData:
        """Convert to the brand-neutral model."""
        info = self.info
        status = self.status
        tariff = info.tariff
        return ChargePointData(
            id=info.evse_id,
            name=info.name or info.evse_id,
            manufacturer=MANUFACTURER_BLUE_CURRENT,
            model=info.model_type,
            grid_id=grid_id,
            activity=None if self.activity is None else _ACTIVITIES.get(self.activity),
            vehicle_state=(
                None
                if status is None or status.vehicle_status is None
                else _VEHICLE_STATES.get(status.vehicle_status)
            ),
            voltage=status.voltages if status else (None, None, None),
            current=status.currents if status else (None, None, None),
            session_energy=status.session_energy_kwh if status else None,
            session_cost=status.total_cost if status else None,
            currency=tariff.currency if tariff else None,
            max_usage=status.max_usage if status else None,
            smart_charging_max_usage=status.smart_charging_max_usage if status else None,
            max_offline=status.max_offline if status else None,
            session_start=status.session_start if status else None,
            session_stop=status.session_stop if status else None,
            offline_since=status.offline_since if status else None,
            plug_and_charge=self.plug_and_charge,
            linked_charge_cards_only=self.linked_charge_cards_only,
            smart_charging=self.smart_charging,
            delayed_charging=info.delayed_charging.value,
            price_based_charging=info.price_based_charging.value,
            tariff_price=tariff.price_in_vat if tariff else None,
        )


def _grid_model(grid: GridStatus) -> GridData:
    return GridData(
        id=grid.grid_id,
        current=grid.currents,
        max_installed=grid.max_installed,
        max_reserved=grid.max_reserved,
    )


class BlueCurrentCoordinator(DataUpdateCoordinator[AccountData]):
    """Keeps one account's websocket open and its data current."""

    config_entry: EVChargePointsConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: EVChargePointsConfigEntry, client: BlueCurrentClient
    ) -> None:
        """Prepare; nothing connects until `async_config_entry_first_refresh`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            # Not the title: it is the account's e-mail and this name appears in log lines.
            name=f"{DOMAIN} {entry.entry_id}",
            update_interval=None,
            always_update=False,
        )
        self.client = client
        self.customer_id: str = entry.unique_id or ""
        self.data = AccountData(charge_points={}, grids={})
        # `connected` only turns False after the grace period; `link_up` is the raw socket state.
        self.connected = False
        self.link_up = False
        self.limited_until: datetime | None = None
        self.reconnects = 0
        self._points: dict[str, _PointState] = {}
        self._grids: dict[str, GridStatus] = {}
        self._grid_of: dict[str, str] = {}
        self._key_listeners: dict[str, list[_KeyListener]] = {}
        self._new_point_listeners: list[Callable[[set[str]], None]] = []
        self._loop_task: asyncio.Task[None] | None = None
        self._setup_future: asyncio.Future[None] | None = None
        self._fetch_lock = asyncio.Lock()
        self._stopping = False
        self._cancel_grace: CALLBACK_TYPE | None = None
        self._unsubscribe: CALLBACK_TYPE | None = None
        self._cleanup: list[CALLBACK_TYPE] = []
        self._cancel_rollover: CALLBACK_TYPE | None = None
        self._delivered_in_session = False
        self._requests_baseline = 0
        self._issue_id = f"{ISSUE_REQUEST_LIMIT}_{entry.entry_id}"
        # Controls (see the "controls" section): None until read after a connect.
        self.override_schedules: dict[str, OverrideCurrentSchedule] | None = None
        self.charge_cards: ChargeCards | None = None
        self._schedule_lock = asyncio.Lock()
        self._current_limits: dict[str, float] = {}
        self._chosen_cards: dict[str, str] = {}
        self._session_cards: dict[str, str] = {}
        self._status_seen: set[str] = set()
        self._point_event_listeners: dict[str, list[PointEventCallback]] = {}

    # --- listeners -------------------------------------------------------------------------

    @callback
    def async_add_key_listener(
        self,
        key: str,
        update_callback: CALLBACK_TYPE,
        *,
        reads: frozenset[str] | None = None,
    ) -> CALLBACK_TYPE:
        """Call `update_callback` when the charge point or grid `key` changes.

        With `reads` (model field names) only changes of those fields call it. Connection
        changes, a point leaving and account data outside the model call every listener.
        """
        listener: _KeyListener = (update_callback, reads)
        self._key_listeners.setdefault(key, []).append(listener)

        @callback
        def _remove() -> None:
            listeners = self._key_listeners.get(key)
            if listeners is None:
                return
            with contextlib.suppress(ValueError):
                listeners.remove(listener)
            if not listeners:
                del self._key_listeners[key]

        return _remove

    @callback
    def async_add_new_charge_points_listener(
        self, new_callback: Callable[[set[str]], None]
    ) -> CALLBACK_TYPE:
        """Call `new_callback(evse_ids)` when charge points join the account while running."""
        self._new_point_listeners.append(new_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError):
                self._new_point_listeners.remove(new_callback)

        return _remove

    @callback
    def _async_notify_key(self, key: str, changed: frozenset[str] | None = None) -> None:
        """Wake the listeners of `key` that read a `changed` field (None: all of them)."""
        for update_callback, reads in list(self._key_listeners.get(key, ())):
            if changed is None or reads is None or not reads.isdisjoint(changed):
                update_callback()

    @callback
    def _async_notify_all(self) -> None:
        for listeners in list(self._key_listeners.values()):
            for update_callback, _reads in list(listeners):
                update_callback()
        self.async_update_listeners()

    # --- lifecycle ---------------------------------------------------------------------------

    async def async_config_entry_first_refresh(self) -> None:
        """Start the connection loop and wait for the first complete data set.

        Raises ConfigEntryAuthFailed for a refused token and ConfigEntryNotReady (with a
        translated reason) for anything else, so Home Assistant retries setup.
        """
        self._setup_future = self.hass.loop.create_future()
        entry = self.config_entry
        self._unsubscribe = self.client.subscribe(self._async_on_message)
        # The base class removes this listener in async_shutdown.
        self._unsub_shutdown = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_on_hass_stop
        )
        self._loop_task = entry.async_create_background_task(
            self.hass, self._async_run(), f"{DOMAIN} websocket {entry.entry_id}"
        )
        try:
            async with asyncio.timeout(SETUP_TIMEOUT):
                await self._setup_future
        except TimeoutError as err:
            await self.async_shutdown()
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN, translation_key="setup_timeout"
            ) from err
        except BlueCurrentInvalidTokenError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_token"
            ) from err
        except Exception as err:
            raise translated_error(
                err, fallback_key="cannot_connect", error_type=ConfigEntryNotReady
            ) from err
        finally:
            self._setup_future = None
        self._cleanup.append(
            async_track_time_interval(
                self.hass,
                self._async_refresh_tick,
                CHARGE_POINTS_REFRESH_INTERVAL,
                name=f"{DOMAIN} charge point refresh",
                cancel_on_shutdown=True,
            )
        )
        self._async_schedule_request_count_rollover()

    async def _async_update_data(self) -> AccountData:
        """Pushes keep the data current; a manual refresh only reports the link state."""
        if not self.connected:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="not_connected")
        return self.data

    async def async_shutdown(self) -> None:
        """Stop the loop, close the socket and cancel every timer (idempotent)."""
        await super().async_shutdown()
        self._stopping = True
        while self._cleanup:
            self._cleanup.pop()()
        if self._cancel_rollover is not None:
            self._cancel_rollover()
            self._cancel_rollover = None
        if self._cancel_grace is not None:
            self._cancel_grace()
            self._cancel_grace = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if (task := self._loop_task) is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})
        await self.client.disconnect()
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)

    async def _async_on_hass_stop(self, _event: Event) -> None:
        self._unsub_shutdown = None  # a fired once-listener must not be removed again
        await self.async_shutdown()

    # --- the connection loop -----------------------------------------------------------------

    @callback
    def _async_fail_setup(self, err: BaseException) -> bool:
        """Hand `err` to a setup that is still waiting; True if one was."""
        if self._setup_future is None or self._setup_future.done():
            return False
        self._setup_future.set_exception(err)
        return True

    async def _async_run(self) -> None:
        """Connect, listen, and reconnect until unloaded; never ends on a transient error."""
        attempt = 0
        while not self._stopping:
            error: Exception | None = None
            try:
                await self._async_session()
            except Exception as err:  # noqa: BLE001 - whatever breaks the link, the loop goes on
                error = err
            if error is not None and self._async_fail_setup(error):
                return
            if self._stopping or self.hass.is_stopping:
                return
            if isinstance(error, BlueCurrentInvalidTokenError):
                LOGGER.warning("Blue Current refused the API token; please reauthenticate")
                self.config_entry.async_start_reauth(self.hass)
                return
            if isinstance(error, BlueCurrentRequestLimitError):
                await self._async_wait_for_limit_reset(error.reset_at)
                attempt = 0
                continue
            if error is not None:
                LOGGER.debug("Blue Current connection ended: %s", type(error).__name__)
            if self._delivered_in_session:
                attempt = 0  # the link worked: a fresh drop starts the backoff over
            delay = backoff_delay(attempt)
            attempt += 1
            self.reconnects += 1
            LOGGER.debug("Reconnecting to Blue Current in %.1f s", delay)
            await self._async_sleep(delay)

    async def _async_session(self) -> None:
        """Run one connection until it ends; it returns only after disconnect()."""
        self._delivered_in_session = False
        await self.client.connect()
        listener = asyncio.create_task(self.client.listen(), name=f"{DOMAIN} listen")
        try:
            try:
                await self._async_fetch(full=True)
            except BlueCurrentConnectionError:
                # The socket went away mid-fetch: the listener knows why (token, limit, close).
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(5):
                        await asyncio.wait({listener})
                if (
                    listener.done()
                    and not listener.cancelled()
                    and (reason := listener.exception()) is not None
                ):
                    raise reason from None
                raise
            self._delivered_in_session = True
            self._async_set_link_up()
            await listener
        finally:
            await self._async_end_session(listener)

    async def _async_end_session(self, listener: asyncio.Task[None]) -> None:
        self._async_set_link_down()
        if not listener.done():
            await self.client.disconnect()
            _, pending = await asyncio.wait({listener}, timeout=10)
            if pending:
                listener.cancel()
                await asyncio.wait({listener})
        else:
            await self.client.disconnect()
        if not listener.cancelled():
            listener.exception()  # retrieved: the loop reports the reason already

    async def _async_sleep(self, seconds: float) -> None:
        """Sleep on Home Assistant's scheduler (tests drive it with async_fire_time_changed)."""
        waiter: asyncio.Future[None] = self.hass.loop.create_future()

        @callback
        def _wake(_now: datetime) -> None:
            if not waiter.done():
                waiter.set_result(None)

        cancel = async_call_later(self.hass, seconds, _wake)
        try:
            await waiter
        finally:
            cancel()

    async def _async_sleep_until(self, when: datetime) -> None:
        waiter: asyncio.Future[None] = self.hass.loop.create_future()

        @callback
        def _wake(_now: datetime) -> None:
            if not waiter.done():
                waiter.set_result(None)

        cancel = async_track_point_in_utc_time(self.hass, _wake, when)
        try:
            await waiter
        finally:
            cancel()

    async def _async_wait_for_limit_reset(self, reset_at: datetime) -> None:
        """Raise the repair issue and send nothing until the daily limit resets."""
        self.limited_until = reset_at
        reset_time = format_reset_time(reset_at)
        LOGGER.warning(
            "Blue Current's daily request limit is reached; reconnecting after %s", reset_time
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_REQUEST_LIMIT,
            translation_placeholders={"reset_time": reset_time, "title": self.config_entry.title},
        )
        await self._async_sleep_until(reset_at)

    @callback
    def _async_set_link_up(self) -> None:
        self.link_up = True
        self.limited_until = None
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)
        if self._cancel_grace is not None:
            self._cancel_grace()
            self._cancel_grace = None
        if self._setup_future is not None and not self._setup_future.done():
            self._setup_future.set_result(None)
        self._async_on_link_up()
        if not self.connected:
            if not self.last_update_success:
                LOGGER.info("Connection to Blue Current restored")
            self.connected = True
            self.last_update_success = True
            self._async_notify_all()

    @callback
    def _async_set_link_down(self) -> None:
        if not self.link_up:
            return
        self.link_up = False
        if self.connected and self._cancel_grace is None and not self._stopping:
            self._cancel_grace = async_call_later(
                self.hass, UNAVAILABLE_GRACE_PERIOD, self._async_grace_expired
            )

    @callback
    def _async_grace_expired(self, _now: datetime) -> None:
        self._cancel_grace = None
        if self.link_up or not self.connected:
            return
        LOGGER.info("Connection to Blue Current lost; entities are unavailable until it is back")
        self.connected = False
        self.last_update_success = False
        self._async_notify_all()

    # --- fetching ------------------------------------------------------------------------------

    async def _async_fetch(self, *, full: bool) -> None:
        """Read the charge point list; then status and grid of every (full) or new point."""
        async with self._fetch_lock:
            listing = await self.client.get_charge_point_list()
            if listing.skipped:
                # Any point we know may be among the unreadable entries: none leaves now.
                LOGGER.debug(
                    "%d unreadable charge point entries; keeping the points not listed",
                    listing.skipped,
                )
            added = self._async_apply_charge_point_list(
                list(listing.charge_points), remove_missing=not listing.skipped
            )
            targets = list(self._points) if full else sorted(added)
            grid_targets = self._grid_request_targets(targets)
            results = await asyncio.gather(
                *(self.client.get_status(evse_id) for evse_id in targets),
                *(self.client.get_grid_status(evse_id) for evse_id in grid_targets),
                return_exceptions=True,
            )
            failure: BaseException | None = None
            for evse_id, result in zip([*targets, *grid_targets], results, strict=True):
                if isinstance(result, BaseException):
                    failure = failure or result
                elif isinstance(result, ChargePointStatus):
                    self._async_apply_status(result)
                elif isinstance(result, GridStatus):
                    self._async_apply_grid(result, evse_id)
            if failure is not None:
                raise failure
            self._async_remove_stale_devices()
            if added:
                for new_callback in list(self._new_point_listeners):
                    new_callback(set(added))

    def _grid_request_targets(self, evse_ids: list[str]) -> list[str]:
        """One charge point per known grid, plus every point whose grid is not known yet.

        Points on one grid share its GRID_STATUS, so asking once per grid saves requests
        from the daily budget.
        """
        targets: list[str] = []
        covered: set[str] = set()
        for evse_id in evse_ids:
            grid_id = self._grid_of.get(evse_id)
            if grid_id is None:
                targets.append(evse_id)
            elif grid_id not in covered:
                covered.add(grid_id)
                targets.append(evse_id)
        return targets

    @callback
    def _async_apply_charge_point_list(
        self, points: list[ChargePoint], *, remove_missing: bool = True
    ) -> set[str]:
        """Add, update and (unless told not to) remove charge points; returns the new ids."""
        seen = {point.evse_id for point in points}
        added: set[str] = set()
        for point in points:
            if (state := self._points.get(point.evse_id)) is None:
                state = _PointState(info=point)
                self._points[point.evse_id] = state
                added.add(point.evse_id)
            state.apply_info(point)
            self._async_publish_point(point.evse_id)
        if remove_missing:
            for evse_id in set(self._points) - seen:
                self._async_remove_point(evse_id)
        return added

    @callback
    def _async_remove_point(self, evse_id: str) -> None:
        LOGGER.debug("Charge point %s left the account", evse_id)
        del self._points[evse_id]
        grid_id = self._grid_of.pop(evse_id, None)
        self.data.charge_points.pop(evse_id, None)
        self._async_notify_key(evse_id)
        if grid_id is not None and grid_id not in self._grid_of.values():
            self._grids.pop(grid_id, None)
            self.data.grids.pop(grid_id, None)
            self._async_notify_key(grid_id)

    @callback
    def _async_remove_stale_devices(self) -> None:
        """Detach devices of charge points and grids the account no longer has."""
        device_registry = dr.async_get(self.hass)
        wanted = {
            *self._points,
            *(self.grid_device_identifier(grid_id) for grid_id in self._grids),
            self.account_device_identifier,
        }
        for device in dr.async_entries_for_config_entry(
            device_registry, self.config_entry.entry_id
        ):
            ours = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if ours and not ours & wanted:
                LOGGER.debug("Removing device %s that left the account", device.name)
                device_registry.async_update_device(
                    device.id, remove_config_entry_id=self.config_entry.entry_id
                )

    def raw_charge_point(self, evse_id: str) -> dict[str, object] | None:
        """The client's models behind one charge point (for diagnostics)."""
        if (state := self._points.get(evse_id)) is None:
            return None
        return {"info": state.info, "status": state.status}

    def grid_device_identifier(self, grid_id: str) -> str:
        """Identifier of a grid's device: grid ids are only unique within one account."""
        return f"{self.customer_id}_{grid_id}"

    @staticmethod
    def grid_label(grid_id: str) -> str:
        """The grid id as people read it: Blue Current prefixes every grid id with "GRID-"."""
        return grid_id.removeprefix("GRID-")

    @property
    def account_device_identifier(self) -> str:
        """Identifier of the device that holds the account's own figures."""
        return f"{self.customer_id}_account"

    @callback
    def _async_publish_point(self, evse_id: str) -> None:
        """Rebuild one charge point's model and wake its entities if it changed."""
        if (state := self._points.get(evse_id)) is None:
            return
        model = state.to_model(self._grid_of.get(evse_id))
        previous = self.data.charge_points.get(evse_id)
        changed = None if previous is None else changed_fields(previous, model)
        if changed is not None and not changed:
            return
        self.data.charge_points[evse_id] = model
        self._async_detect_transitions(
            evse_id, previous, model, has_status=state.status is not None
        )
        self._async_notify_key(evse_id, changed)

    @callback
    def _async_publish_grid(self, grid_id: str) -> None:
        if (grid := self._grids.get(grid_id)) is None:
            return
        model = _grid_model(grid)
        previous = self.data.grids.get(grid_id)
        changed = None if previous is None else changed_fields(previous, model)
        if changed is not None and not changed:
            return
        self.data.grids[grid_id] = model
        self._async_notify_key(grid_id, changed)

    @callback
    def _async_apply_status(self, status: ChargePointStatus) -> None:
        if (state := self._points.get(status.evse_id)) is None:
            LOGGER.debug("Ignoring status of unknown charge point %s", status.evse_id)
            return
        state.apply_status(status)
        self._async_publish_point(status.evse_id)

    @callback
    def _async_apply_grid(self, grid: GridStatus, evse_id: str | None) -> None:
        evse_id = evse_id or grid.evse_id
        self._grids[grid.grid_id] = grid
        self._async_publish_grid(grid.grid_id)
        if (
            evse_id is not None
            and evse_id in self._points
            and self._grid_of.get(evse_id) != grid.grid_id
        ):
            self._grid_of[evse_id] = grid.grid_id
            self._async_publish_point(evse_id)

    @callback
    def _async_apply_grid_current(self, message: GridCurrent) -> None:
        grid_id = message.grid_id
        if grid_id is None and message.evse_id is not None:
            grid_id = self._grid_of.get(message.evse_id)
        if grid_id is None or (grid := self._grids.get(grid_id)) is None:
            LOGGER.debug("Ignoring grid current of unknown grid")
            return
        self._grids[grid_id] = GridStatus(
            grid_id=grid.grid_id,
            evse_id=grid.evse_id,
            currents=message.currents,
            max_installed=grid.max_installed,
            max_reserved=grid.max_reserved,
        )
        self._async_publish_grid(grid_id)

    @callback
    def _async_on_message(self, message: BlueCurrentMessage) -> None:
        """Route one server object to the charge point or grid it concerns."""
        if isinstance(message, ChargePointStatus):
            self._async_apply_status(message)
        elif isinstance(message, GridCurrent):
            self._async_apply_grid_current(message)
        elif isinstance(message, GridStatus):
            self._async_apply_grid(message, None)
        elif isinstance(message, ChargePointSettings | SettingResult | ChargePoints):
            self._async_apply_point_update(message)

    @callback
    def _async_apply_point_update(
        self, message: ChargePointSettings | SettingResult | ChargePoints
    ) -> None:
        """Settings, confirmed settings and list refreshes of points we already know."""
        if isinstance(message, ChargePoints):
            # Joins and departures are handled by the fetch that asked for the list.
            for point in message.charge_points:
                if (state := self._points.get(point.evse_id)) is not None:
                    state.apply_info(point)
                    self._async_publish_point(point.evse_id)
            return
        if message.evse_id is None or (state := self._points.get(message.evse_id)) is None:
            return
        if isinstance(message, ChargePointSettings):
            state.apply_settings(message)
        elif not message.failed:
            state.apply_setting_result(message)
        self._async_publish_point(message.evse_id)

    @callback
    def _async_refresh_tick(self, _now: datetime) -> None:
        """Re-read the charge point list now and then: points join and leave accounts."""
        if not self.link_up or self._fetch_lock.locked():
            return
        self.config_entry.async_create_background_task(
            self.hass, self._async_refresh_charge_points(), f"{DOMAIN} charge point refresh"
        )

    async def _async_refresh_charge_points(self) -> None:
        try:
            await self._async_fetch(full=False)
        except BlueCurrentError as err:
            # The connection loop deals with a broken link; this was only a periodic read.
            LOGGER.debug("Refreshing the charge point list failed: %s", type(err).__name__)

    # --- request counter -----------------------------------------------------------------

    @property
    def requests_today(self) -> int:
        """Requests sent since the last daily reset (or since setup)."""
        return self.client.requests_sent - self._requests_baseline

    @callback
    def _async_schedule_request_count_rollover(self) -> None:
        @callback
        def _rollover(_now: datetime) -> None:
            self._requests_baseline = self.client.requests_sent
            self._async_schedule_request_count_rollover()

        if self._stopping:
            return
        self._cancel_rollover = async_track_point_in_utc_time(
            self.hass, _rollover, next_reset(dt_util.utcnow())
        )

    # --- commands --------------------------------------------------------------------------

    async def async_execute[T](
        self, evse_id: str | None, command: Callable[[BlueCurrentClient], Awaitable[T]]
    ) -> T:
        """Run a client command; every failure becomes a translated HomeAssistantError.

        State is never changed optimistically: the server's confirmation or the next
        status push updates the entities.
        """
        if self.limited_until is not None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="request_limit_reached",
                translation_placeholders={"reset_time": format_reset_time(self.limited_until)},
            )
        if not self.link_up:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
        LOGGER.debug("Sending a command for %s", evse_id or "the account")
        try:
            return await command(self.client)
        except BlueCurrentConnectionError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="not_connected"
            ) from err
        except BlueCurrentError as err:
            raise translated_error(
                err, fallback_key="communication_error", error_type=HomeAssistantError
            ) from err

    # --- controls: override schedules, charge cards, smart charging, sessions ------------------

    @callback
    def _async_on_link_up(self) -> None:
        """After every (re)connect read the override schedules and charge cards again.

        A tracked task (not a background one): setup and tests can wait for it.
        """
        self.config_entry.async_create_task(
            self.hass, self._async_load_account_extras(), f"{DOMAIN} schedules and cards"
        )

    async def _async_load_account_extras(self) -> None:
        try:
            schedules = await self.client.list_override_currents()
        except BlueCurrentError as err:
            LOGGER.debug("Reading the override schedules failed: %s", type(err).__name__)
        else:
            self._async_store_schedule_list(schedules)
            await self._async_reassert_current_limits()
        try:
            cards = await self.client.get_charge_cards()
        except BlueCurrentError as err:
            LOGGER.debug("Reading the charge cards failed: %s", type(err).__name__)
        else:
            self.charge_cards = cards
            self._async_notify_points()

    @callback
    def _async_notify_points(self) -> None:
        for evse_id in list(self._points):
            self._async_notify_key(evse_id)

    # override schedules

    def schedule_of(self, evse_id: str) -> OverrideCurrentSchedule | None:
        """The override schedule the charge point belongs to (at most one)."""
        for schedule in (self.override_schedules or {}).values():
            if evse_id in schedule.charge_points:
                return schedule
        return None

    def owned_limit_schedule(self, evse_id: str) -> OverrideCurrentSchedule | None:
        """The schedule behind the charge current limit number, if the server has it.

        It is recognised by its shape (only this charge point, every day, 00:00-23:59), so
        it survives restarts without storing the server's id.
        """
        schedule = self.schedule_of(evse_id)
        if schedule is None or not is_limit_schedule(schedule, evse_id):
            return None
        return schedule

    def current_limit_wanted(self, evse_id: str) -> float | None:
        """The limit the number keeps for this charge point (None: no limit)."""
        return self._current_limits.get(evse_id)

    @callback
    def _async_store_schedule_list(self, schedules: list[OverrideCurrentSchedule]) -> None:
        """Take the server's full list; a limit someone changed elsewhere is adopted."""
        self.override_schedules = {schedule.schedule_id: schedule for schedule in schedules}
        for evse_id in list(self._current_limits):
            if (owned := self.owned_limit_schedule(evse_id)) is not None:
                self._current_limits[evse_id] = owned.current
        self._async_notify_points()

    @callback
    def _async_store_schedule(self, saved: OverrideCurrentSchedule) -> None:
        """A created or edited schedule; its points leave any other schedule (one each)."""
        schedules = self.override_schedules if self.override_schedules is not None else {}
        points = set(saved.charge_points)
        for schedule_id, schedule in list(schedules.items()):
            if schedule_id == saved.schedule_id or not points & set(schedule.charge_points):
                continue
            remaining = tuple(p for p in schedule.charge_points if p not in points)
            if remaining:
                schedules[schedule_id] = _with_points(schedule, remaining)
            else:
                del schedules[schedule_id]
        schedules[saved.schedule_id] = saved
        self.override_schedules = schedules

    @callback
    def _async_forget_schedule(self, schedule_id: str) -> None:
        if self.override_schedules is not None:
            self.override_schedules.pop(schedule_id, None)

    @callback
    def _async_schedules_changed(self) -> None:
        """After our own change: a limit whose schedule is gone was removed on purpose."""
        for evse_id in list(self._current_limits):
            if self.owned_limit_schedule(evse_id) is None:
                del self._current_limits[evse_id]
        self._async_notify_points()

    async def _async_require_schedules(self) -> dict[str, OverrideCurrentSchedule]:
        if self.override_schedules is None:
            self._async_store_schedule_list(await self.client.list_override_currents())
        assert self.override_schedules is not None  # noqa: S101 - set just above
        return self.override_schedules

    async def _async_take_out(self, evse_ids: set[str], *, keep: str | None = None) -> None:
        """Remove the points from every schedule but `keep` (edit, or clear when empty)."""
        schedules = await self._async_require_schedules()
        for schedule in list(schedules.values()):
            if schedule.schedule_id == keep or not evse_ids & set(schedule.charge_points):
                continue
            remaining = [p for p in schedule.charge_points if p not in evse_ids]
            if remaining:
                self._async_store_schedule(
                    await self.client.edit_override_current(
                        schedule.schedule_id,
                        remaining,
                        start_time=schedule.start_time,
                        start_days=schedule.start_days,
                        stop_time=schedule.stop_time,
                        stop_days=schedule.stop_days,
                        current=schedule.current,
                    )
                )
            else:
                await self.client.clear_override_current(schedule.schedule_id)
                self._async_forget_schedule(schedule.schedule_id)

    async def _async_put_override(self, evse_ids: list[str], window: OverrideWindow) -> None:
        """Create or replace the override of exactly these points (the vendor's algorithm).

        One existing schedule covering only (some of) these points is edited; otherwise the
        points leave their schedules first and a new one is created.
        """
        schedules = await self._async_require_schedules()
        targets = set(evse_ids)
        affected = [s for s in schedules.values() if targets & set(s.charge_points)]
        if len(affected) == 1 and set(affected[0].charge_points) <= targets:
            saved = await self.client.edit_override_current(
                affected[0].schedule_id, evse_ids, **window.fields()
            )
        else:
            await self._async_take_out(targets)
            saved = await self.client.set_override_current(evse_ids, **window.fields())
        self._async_store_schedule(saved)

    async def _async_change_schedules(
        self, evse_id: str | None, change: Callable[[], Awaitable[None]]
    ) -> None:
        """Run one schedule change under the lock, as a command (translated errors).

        After a failure the list is read again: a multi-step change may have gone half
        way, and the entities must show what the server has, not what was asked.
        """

        async def run(_client: BlueCurrentClient) -> None:
            async with self._schedule_lock:
                try:
                    await change()
                except BlueCurrentError:
                    with contextlib.suppress(BlueCurrentError):
                        self._async_store_schedule_list(await self.client.list_override_currents())
                    self._async_notify_points()
                    raise
                self._async_schedules_changed()

        await self.async_execute(evse_id, run)

    async def async_set_override(self, evse_ids: list[str], window: OverrideWindow) -> None:
        """Give these charge points one user override schedule (HomeAssistantError on failure)."""
        await self._async_change_schedules(None, lambda: self._async_put_override(evse_ids, window))

    async def async_edit_override(
        self, schedule_id: str, evse_ids: list[str], window: OverrideWindow
    ) -> None:
        """Replace one schedule's points and window; its new points leave other schedules."""

        async def change() -> None:
            await self._async_take_out(set(evse_ids), keep=schedule_id)
            self._async_store_schedule(
                await self.client.edit_override_current(schedule_id, evse_ids, **window.fields())
            )

        await self._async_change_schedules(None, change)

    async def async_clear_override(
        self, *, evse_ids: set[str] | None = None, schedule_id: str | None = None
    ) -> None:
        """Take charge points out of their schedules, or delete one whole schedule."""

        async def change() -> None:
            if schedule_id is not None:
                await self.client.clear_override_current(schedule_id)
                self._async_forget_schedule(schedule_id)
            if evse_ids:
                await self._async_take_out(evse_ids)

        await self._async_change_schedules(None, change)

    async def async_list_overrides(self) -> list[OverrideCurrentSchedule]:
        """Read the account's schedules from the server (and keep them)."""
        schedules = await self.async_execute(None, lambda client: client.list_override_currents())
        self._async_store_schedule_list(schedules)
        return schedules

    async def async_set_current_limit(
        self, evse_id: str, value: float | None, *, only_if_missing: bool = False
    ) -> None:
        """Set the charge point's live ceiling through its own all-day schedule.

        None removes the schedule (no ceiling). `only_if_missing` re-creates a limit the
        server lost and leaves one that exists alone.
        """

        async def change() -> None:
            owned = self.owned_limit_schedule(evse_id)
            if only_if_missing and owned is not None:
                return
            if value is None:
                if owned is not None:
                    await self.client.clear_override_current(owned.schedule_id)
                    self._async_forget_schedule(owned.schedule_id)
                self._current_limits.pop(evse_id, None)
                return
            if owned is None or owned.current != value:
                await self._async_put_override([evse_id], limit_window(value))
            self._current_limits[evse_id] = value

        await self._async_change_schedules(evse_id, change)

    @callback
    def async_keep_current_limit(self, evse_id: str, value: float) -> None:
        """The number restored a limit: re-create it if the server does not have it.

        A limit the server has (perhaps changed in the app) wins over the restored value.
        """
        if (owned := self.owned_limit_schedule(evse_id)) is not None:
            value = owned.current
        self._current_limits.setdefault(evse_id, value)
        if self.override_schedules is not None and self.link_up:
            self.config_entry.async_create_task(
                self.hass,
                self._async_reassert_current_limit(evse_id),
                f"{DOMAIN} restore current limit",
            )

    async def _async_reassert_current_limits(self) -> None:
        for evse_id in list(self._current_limits):
            await self._async_reassert_current_limit(evse_id)

    async def _async_reassert_current_limit(self, evse_id: str) -> None:
        value = self._current_limits.get(evse_id)
        if value is None or evse_id not in self._points or self.owned_limit_schedule(evse_id):
            return
        LOGGER.info("Restoring the charge current limit of %s, which the server lost", evse_id)
        try:
            await self.async_set_current_limit(evse_id, value, only_if_missing=True)
        except HomeAssistantError as err:
            LOGGER.warning("Could not restore the charge current limit of %s: %s", evse_id, err)

    # charge cards

    def valid_cards(self) -> list[ChargeCard]:
        """The account's cards that can start a session."""
        if self.charge_cards is None:
            return []
        return [card for card in self.charge_cards.cards if card.valid is not False]

    def find_card(self, value: str) -> ChargeCard | None:
        """A valid card by uid or by its printed id (case-insensitive)."""
        wanted = value.strip().casefold()
        for card in self.valid_cards():
            if wanted in (card.uid.casefold(), (card.id or "").casefold()):
                return card
        return None

    def chosen_card(self, evse_id: str) -> str:
        """The card uid the start-session button and action use (NO_CARD: none)."""
        return self._chosen_cards.get(evse_id, NO_CARD)

    @callback
    def async_choose_card(self, evse_id: str, card_uid: str) -> None:
        """Remember the card chosen in the charge card select."""
        self._chosen_cards[evse_id] = card_uid

    async def async_list_charge_cards(self) -> ChargeCards:
        """Read the account's charge cards from the server (and keep them)."""
        cards = await self.async_execute(None, lambda client: client.get_charge_cards())
        self.charge_cards = cards
        self._async_notify_points()
        return cards

    def plug_and_charge_card(self, evse_id: str) -> str | None:
        """Uid of the card plug and charge starts with (NO_CARD: none; None: unknown)."""
        state = self._points.get(evse_id)
        if state is None or (ref := state.info.plug_and_charge_card) is None:
            return None
        # The server shows "no card" as its own placeholder card (§6.3).
        return NO_CARD if ref.uid in (None, NO_CARD, "BCU_HOME_USE") else ref.uid

    async def async_set_plug_and_charge_card(self, evse_id: str, card_uid: str) -> None:
        """Choose the plug-and-charge card, then read the charge point list back."""

        async def run(client: BlueCurrentClient) -> None:
            await client.set_plug_and_charge_card(evse_id, card_uid)
            await client.get_charge_points()

        await self.async_execute(evse_id, run)
        # The card is not part of the model: wake the point's entities explicitly.
        self._async_notify_key(evse_id)

    # sessions

    async def async_start_session(self, evse_id: str, card_uid: str | None = None) -> None:
        """Start a session with the card (None: the card chosen in the select)."""
        uid = self.chosen_card(evse_id) if card_uid is None else card_uid
        await self.async_execute(evse_id, lambda client: client.start_session(evse_id, uid))
        self._session_cards[evse_id] = uid

    async def async_stop_session(self, evse_id: str) -> None:
        """Stop the running session."""
        await self.async_execute(evse_id, lambda client: client.stop_session(evse_id))

    # smart charging

    async def async_set_smart_charging(
        self,
        evse_id: str,
        profile: SmartChargingProfile,
        then: Callable[[BlueCurrentClient], Awaitable[None]] | None = None,
    ) -> None:
        """Make `profile` the active one (§6.1: the new one on first, then the old one off).

        `then` sends the profile's settings afterwards. The charge point list is read back,
        so the select shows what the server now reports, not what was asked.
        """
        charge_point = self.data.charge_points.get(evse_id)
        flags = {
            SmartChargingProfile.DELAYED: charge_point.delayed_charging if charge_point else None,
            SmartChargingProfile.PRICE_BASED: (
                charge_point.price_based_charging if charge_point else None
            ),
        }

        async def run(client: BlueCurrentClient) -> None:
            sent = False
            if profile is not SmartChargingProfile.OFF and flags[profile] is not True:
                await _profile_setter(client, profile)(evse_id, True)  # noqa: FBT003
                sent = True
            for other, active in flags.items():
                if other is not profile and active is not False:
                    await _profile_setter(client, other)(evse_id, False)  # noqa: FBT003
                    sent = True
            if then is not None:
                await then(client)
                sent = True
            if sent:
                # CH_STATUS does not carry the profile flags; the subscriber applies the list.
                await client.get_charge_points()

        await self.async_execute(evse_id, run)

    async def async_boost(self, evse_id: str) -> None:
        """Override the profile that holds charging back, for this session."""
        charge_point = self.data.charge_points.get(evse_id)
        commands = boost_commands(charge_point) if charge_point else []

        async def run(client: BlueCurrentClient) -> None:
            for command in commands:
                await command(client, evse_id)

        await self.async_execute(evse_id, run)

    # charge point events (device triggers, event entity)

    @callback
    def async_add_point_event_listener(
        self, evse_id: str, event_callback: PointEventCallback
    ) -> CALLBACK_TYPE:
        """Call `event_callback(type, data)` for every event of the charge point."""
        self._point_event_listeners.setdefault(evse_id, []).append(event_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError, KeyError):
                self._point_event_listeners[evse_id].remove(event_callback)

        return _remove

    @callback
    def _async_detect_transitions(
        self,
        evse_id: str,
        previous: ChargePointData | None,
        model: ChargePointData,
        *,
        has_status: bool,
    ) -> None:
        """Turn changes of the charge point's data into events.

        Nothing fires before the point's first status was seen: what the first status
        says is the starting point, not a change.
        """
        seen = evse_id in self._status_seen
        if has_status:
            self._status_seen.add(evse_id)
        if previous is None or not seen:
            return
        events: list[tuple[str, dict[str, Any]]] = []
        if previous.activity is not None and model.activity is not None:
            if previous.online != model.online:
                events.append((EVENT_ONLINE if model.online else EVENT_OFFLINE, {}))
            if previous.charging != model.charging:
                events.append(
                    (EVENT_CHARGING_STARTED if model.charging else EVENT_CHARGING_STOPPED, {})
                )
        if (
            previous.vehicle_state is not None
            and model.vehicle_state is not None
            and previous.vehicle_connected != model.vehicle_connected
        ):
            events.append(
                (
                    EVENT_VEHICLE_CONNECTED
                    if model.vehicle_connected
                    else EVENT_VEHICLE_DISCONNECTED,
                    {},
                )
            )
        stop, start = model.session_stop, model.session_start
        if (
            stop is not None
            and stop != previous.session_stop
            and start is not None
            and start <= stop
        ):
            events.append((EVENT_SESSION_ENDED, self._session_summary(evse_id, model)))
        for kind, data in events:
            self._async_fire_point_event(evse_id, kind, data)

    def _session_summary(self, evse_id: str, model: ChargePointData) -> dict[str, Any]:
        """What an ended session brought; the card only when known (never its uid)."""
        assert model.session_start is not None  # noqa: S101 - checked by the caller
        assert model.session_stop is not None  # noqa: S101
        uid = self._session_cards.pop(evse_id, None)
        info = self._points[evse_id].info if evse_id in self._points else None
        name = card_id = None
        if uid is None and info is not None and info.plug_and_charge.value:
            # Plug and charge started it with the point's own card.
            ref = info.plug_and_charge_card
            if ref is not None and ref.uid not in (None, NO_CARD):
                uid, name, card_id = ref.uid, ref.name or None, ref.id
        if uid is not None and uid != NO_CARD and (card := self.find_card(uid)) is not None:
            name, card_id = card.name or None, card.id
        return {
            "energy": model.session_energy,
            "cost": model.session_cost,
            "currency": model.currency,
            "started": model.session_start.isoformat(),
            "stopped": model.session_stop.isoformat(),
            "duration": round((model.session_stop - model.session_start).total_seconds()),
            "card": name,
            "card_id": card_id,
        }

    @callback
    def _async_fire_point_event(self, evse_id: str, kind: str, data: dict[str, Any]) -> None:
        LOGGER.debug("Charge point %s: %s", evse_id, kind)
        for event_callback in list(self._point_event_listeners.get(evse_id, ())):
            event_callback(kind, data)
        device = dr.async_get(self.hass).async_get_device(identifiers={(DOMAIN, evse_id)})
        if device is not None:
            self.hass.bus.async_fire(
                EVENT_CHARGE_POINT, {"device_id": device.id, "type": kind, **data}
            )


# --- controls: helpers -------------------------------------------------------------------------

# Fired on the bus for device triggers: {"device_id", "type", ...session data}.
EVENT_CHARGE_POINT = f"{DOMAIN}_event"
EVENT_VEHICLE_CONNECTED = "vehicle_connected"
EVENT_VEHICLE_DISCONNECTED = "vehicle_disconnected"
EVENT_CHARGING_STARTED = "charging_started"
EVENT_CHARGING_STOPPED = "charging_stopped"
EVENT_SESSION_ENDED = "session_ended"
EVENT_OFFLINE = "offline"
EVENT_ONLINE = "online"
POINT_EVENTS = (
    EVENT_VEHICLE_CONNECTED,
    EVENT_VEHICLE_DISCONNECTED,
    EVENT_CHARGING_STARTED,
    EVENT_CHARGING_STOPPED,
    EVENT_SESSION_ENDED,
    EVENT_OFFLINE,
    EVENT_ONLINE,
)

# The charge current limit's own schedule: every day from 00:00 to 23:59. A window that
# ends where it starts (00:00-00:00) may mean "empty" to the server, so the last minute
# of each day is left out.
LIMIT_DAYS: tuple[Weekday, ...] = tuple(Weekday)
LIMIT_START = time(0, 0)
LIMIT_STOP = time(23, 59)
# The lowest current a charge point offers (IEC 61851); below it a car does not charge.
MIN_CHARGE_CURRENT = 6.0
DEFAULT_MAX_CURRENT = 32.0


class SmartChargingProfile(StrEnum):
    """The smart-charging profile of a charge point (one at most is active)."""

    OFF = "off"
    DELAYED = "delayed"
    PRICE_BASED = "price_based"


def smart_charging_profile(charge_point: ChargePointData) -> SmartChargingProfile | None:
    """The active profile; delayed wins if the server reports both (§6.1)."""
    if charge_point.delayed_charging:
        return SmartChargingProfile.DELAYED
    if charge_point.price_based_charging:
        return SmartChargingProfile.PRICE_BASED
    if charge_point.delayed_charging is None and charge_point.price_based_charging is None:
        return None
    return SmartChargingProfile.OFF


def _profile_setter(
    client: BlueCurrentClient, profile: SmartChargingProfile
) -> Callable[[str, bool], Awaitable[None]]:
    if profile is SmartChargingProfile.DELAYED:
        return client.set_delayed_charging
    return client.set_price_based_charging


def boost_commands(
    charge_point: ChargePointData,
) -> list[Callable[[BlueCurrentClient, str], Awaitable[None]]]:
    """What a boost sends now; empty when no profile holds charging back.

    Delayed: the session waits (activity delayed). Price based: the session charges at the
    profile's reduced current. With both flags set the delayed rule decides and both
    overrides go out, price based first (§6.1).
    """
    if (
        not charge_point.smart_charging
        or charge_point.vehicle_state in (None, VehicleState.VEHICLE_ERROR)
        or not charge_point.online
    ):
        return []
    if charge_point.delayed_charging:
        if charge_point.activity != ChargerActivity.DELAYED:
            return []
        commands: list[Callable[[BlueCurrentClient, str], Awaitable[None]]] = []
        if charge_point.price_based_charging:
            commands.append(lambda client, evse_id: client.override_charging_profiles(evse_id))
        commands.append(lambda client, evse_id: client.override_delayed_charging_timeout(evse_id))
        return commands
    if charge_point.price_based_charging and charge_point.activity == ChargerActivity.CHARGING:
        return [lambda client, evse_id: client.override_charging_profiles(evse_id)]
    return []


@dataclass(frozen=True, slots=True)
class OverrideWindow:
    """A weekly override window and its current."""

    start_time: time
    start_days: tuple[Weekday, ...]
    stop_time: time
    stop_days: tuple[Weekday, ...]
    current: float

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of the client's set/edit calls."""
        return {
            "start_time": self.start_time,
            "start_days": self.start_days,
            "stop_time": self.stop_time,
            "stop_days": self.stop_days,
            "current": self.current,
        }

    @classmethod
    def of(cls, schedule: OverrideCurrentSchedule) -> OverrideWindow:
        """The window of an existing schedule."""
        return cls(
            start_time=schedule.start_time,
            start_days=schedule.start_days,
            stop_time=schedule.stop_time,
            stop_days=schedule.stop_days,
            current=schedule.current,
        )


def limit_window(current: float) -> OverrideWindow:
    """The all-day window of the charge current limit."""
    return OverrideWindow(
        start_time=LIMIT_START,
        start_days=LIMIT_DAYS,
        stop_time=LIMIT_STOP,
        stop_days=LIMIT_DAYS,
        current=current,
    )


def is_limit_schedule(schedule: OverrideCurrentSchedule, evse_id: str) -> bool:
    """Whether the schedule has the shape of the charge current limit of this point."""
    return (
        schedule.charge_points == (evse_id,)
        and schedule.start_time == LIMIT_START
        and schedule.stop_time == LIMIT_STOP
        and set(schedule.start_days) == set(LIMIT_DAYS)
        and set(schedule.stop_days) == set(LIMIT_DAYS)
    )


def _with_points(
    schedule: OverrideCurrentSchedule, points: tuple[str, ...]
) -> OverrideCurrentSchedule:
    return dataclass_replace(schedule, charge_points=points)
