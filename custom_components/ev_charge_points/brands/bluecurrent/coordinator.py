"""Blue Current's coordinator: one account's websocket, kept open by the push base.

One websocket carries every charge point of the account. On every (re)connect the charge
point list is read, then the status and grid of every point; after that pushes keep the data
current. The brand adds what only Blue Current has: the daily request budget (a repair issue
and no reconnect until it resets), override-current schedules behind the charge current
limit, charge cards, smart-charging profiles and boost.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time, async_track_time_interval
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.bluecurrent import (
    HOME_USE_CARD,
    NO_CARD,
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
    next_reset,
)
from custom_components.ev_charge_points.const import DOMAIN, LOGGER
from custom_components.ev_charge_points.errors import (
    format_reset_time,
    translated_error,
    validation_error,
)
from custom_components.ev_charge_points.push import AfterError, PushCoordinator

from .capabilities import BLUE_CURRENT_CAPABILITIES
from .const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
    ISSUE_REQUEST_LIMIT,
    MANUFACTURER,
    NO_CARD_OPTION,
)
from .controls import (
    OverrideWindow,
    SmartChargingProfile,
    boost_commands,
    is_limit_schedule,
    limit_window,
    profile_setter,
    with_points,
)
from .errors import explain
from .mapping import PointState, grid_model

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.api.bluecurrent.models import (
        BlueCurrentMessage,
        ChargeCard,
        ChargeCards,
        OverrideCurrentSchedule,
    )
    from custom_components.ev_charge_points.model import Capability, ChargePointData


class BlueCurrentCoordinator(PushCoordinator[BlueCurrentClient]):
    """Keeps one Blue Current account's websocket open and its data current."""

    brand_name: ClassVar[str] = "Blue Current"
    manufacturer: ClassVar[str] = MANUFACTURER
    client_errors: ClassVar[tuple[type[Exception], ...]] = (BlueCurrentError,)

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], client: BlueCurrentClient
    ) -> None:
        """Prepare; nothing connects until `async_config_entry_first_refresh`."""
        super().__init__(hass, entry, client)
        self.limited_until: datetime | None = None
        self._points: dict[str, PointState] = {}
        self._grids: dict[str, GridStatus] = {}
        self._grid_of: dict[str, str] = {}
        self._fetch_lock = asyncio.Lock()
        self._cancel_rollover: CALLBACK_TYPE | None = None
        self._requests_baseline = 0
        self._issue_id = f"{ISSUE_REQUEST_LIMIT}_{entry.entry_id}"
        # Controls (see the "controls" section): None until read after a connect.
        self.override_schedules: dict[str, OverrideCurrentSchedule] | None = None
        self.charge_cards: ChargeCards | None = None
        self._schedule_lock = asyncio.Lock()
        self._current_limits: dict[str, float] = {}
        self._chosen_cards: dict[str, str] = {}
        self._session_cards: dict[str, str] = {}

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002
        """Every Blue Current charge point offers the same (the protocol has no model flags)."""
        return BLUE_CURRENT_CAPABILITIES

    # --- push base hooks ---------------------------------------------------------------------

    @callback
    def _async_prepare(self) -> None:
        self._cleanup.append(self.client.subscribe(self._async_on_message))

    def _setup_error(self, err: Exception) -> Exception:
        if isinstance(err, BlueCurrentInvalidTokenError):
            return ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="invalid_token")
        return translated_error(
            err, fallback_key="cannot_connect", error_type=ConfigEntryNotReady, explain=explain
        )

    async def _async_after_first_refresh(self) -> None:
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

    async def _async_after_error(self, error: Exception) -> AfterError:
        if isinstance(error, BlueCurrentInvalidTokenError):
            LOGGER.warning("Blue Current refused the API token; please reauthenticate")
            self.config_entry.async_start_reauth(self.hass)
            return AfterError.STOP
        if isinstance(error, BlueCurrentRequestLimitError):
            await self._async_wait_for_limit_reset(error.reset_at)
            return AfterError.RETRY_NOW
        return AfterError.BACKOFF

    async def async_shutdown(self) -> None:
        """Stop the loop, close the socket, cancel the timers and the repair issue."""
        if self._cancel_rollover is not None:
            self._cancel_rollover()
            self._cancel_rollover = None
        await super().async_shutdown()
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)

    async def _async_close(self) -> None:
        await self.client.disconnect()

    @callback
    def _async_set_link_up(self) -> None:
        self.limited_until = None
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)
        super()._async_set_link_up()

    # --- the connection ------------------------------------------------------------------------

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
                self._async_announce_charge_points(added)

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
                state = PointState(info=point)
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
        del self._points[evse_id]
        grid_id = self._grid_of.pop(evse_id, None)
        self._async_forget_charge_point(evse_id)
        if grid_id is not None and grid_id not in self._grid_of.values():
            self._grids.pop(grid_id, None)
            self._async_forget_grid(grid_id)

    def raw_charge_point(self, evse_id: str) -> dict[str, object] | None:
        """The client's models behind one charge point (for diagnostics)."""
        if (state := self._points.get(evse_id)) is None:
            return None
        return {"info": state.info, "status": state.status}

    @staticmethod
    def grid_label(grid_id: str) -> str:
        """The grid id as people read it: Blue Current prefixes every grid id with "GRID-"."""
        return grid_id.removeprefix("GRID-")

    @callback
    def _async_publish_point(self, evse_id: str) -> None:
        """Rebuild one charge point's model and publish it."""
        if (state := self._points.get(evse_id)) is None:
            return
        self._async_publish_charge_point(
            state.to_model(self._grid_of.get(evse_id)), has_status=state.status is not None
        )

    @callback
    def _async_publish_grid_status(self, grid_id: str) -> None:
        if (grid := self._grids.get(grid_id)) is not None:
            self._async_publish_grid(grid_model(grid))

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
        self._async_publish_grid_status(grid.grid_id)
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
        self._async_publish_grid_status(grid_id)

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

    def connection_diagnostics(self) -> dict[str, object]:
        """The link, the client's socket and the daily request budget."""
        client = self.client
        return {
            "connected": self.connected,
            "link_up": self.link_up,
            "client_connected": client.connected,
            "reconnects": self.reconnects,
            "limited_until": self.limited_until,
            "requests_sent": client.requests_sent,
            "requests_today": self.requests_today,
            "dropped_messages": client.dropped_messages,
        }

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

    def _check_can_send(self) -> None:
        if self.limited_until is not None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="request_limit_reached",
                translation_placeholders={"reset_time": format_reset_time(self.limited_until)},
            )
        super()._check_can_send()

    def _command_error(self, err: Exception) -> HomeAssistantError:
        if isinstance(err, BlueCurrentConnectionError):
            return HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
        return translated_error(
            err, fallback_key="communication_error", error_type=HomeAssistantError, explain=explain
        )

    async def async_restart(self, evse_id: str) -> None:
        """Soft-reset the charge point (the reset button)."""
        await self.async_execute(evse_id, lambda client: client.soft_reset(evse_id))

    async def async_reboot(self, evse_id: str) -> None:
        """Reboot the charge point."""
        await self.async_execute(evse_id, lambda client: client.reboot(evse_id))

    async def async_unlock_connector(self, evse_id: str) -> None:
        """Release the cable (sent as documented, §2.1; a refusal is reported)."""
        await self.async_execute(evse_id, lambda client: client.unlock_connector(evse_id))

    def boost_possible(self, charge_point: ChargePointData) -> bool:
        """Whether a smart-charging profile holds the session back now (§6.1)."""
        return bool(boost_commands(charge_point))

    def current_limit_known(self, evse_id: str) -> bool:  # noqa: ARG002
        """The limit is a schedule: known once the account's schedules were read."""
        return self.override_schedules is not None

    def current_limit(self, evse_id: str) -> float | None:
        """The owned schedule's current; before the schedules are read, the kept value."""
        if self.override_schedules is None:
            return self.current_limit_wanted(evse_id)
        owned = self.owned_limit_schedule(evse_id)
        return owned.current if owned is not None else None

    async def async_set_blocked(self, evse_id: str, blocked: bool) -> None:  # noqa: FBT001
        """Block or unblock the charge point."""
        await self.async_execute(evse_id, lambda client: client.block(evse_id, blocked))

    async def async_set_plug_and_charge(self, evse_id: str, on: bool) -> None:  # noqa: FBT001
        """Switch plug and charge on or off."""
        await self.async_execute(evse_id, lambda client: client.set_plug_and_charge(evse_id, on))

    async def async_set_linked_charge_cards_only(self, evse_id: str, on: bool) -> None:  # noqa: FBT001
        """Allow only the account's linked charge cards (on) or any card (off)."""
        await self.async_execute(
            evse_id, lambda client: client.set_linked_charge_cards_only(evse_id, on)
        )

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
                schedules[schedule_id] = with_points(schedule, remaining)
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
        return NO_CARD if ref.uid in (None, NO_CARD, HOME_USE_CARD) else ref.uid

    async def async_set_plug_and_charge_card(self, evse_id: str, card_uid: str) -> None:
        """Choose the plug-and-charge card, then read the charge point list back."""

        async def run(client: BlueCurrentClient) -> None:
            await client.set_plug_and_charge_card(evse_id, card_uid)
            await client.get_charge_points()

        await self.async_execute(evse_id, run)
        # The card is not part of the model: wake the point's entities explicitly.
        self._async_notify_key(evse_id)

    # sessions

    async def async_card_uid(self, card: str) -> str:
        """The uid of a card named by uid or printed id; "no_card" (or NO_CARD) means none."""
        if card.strip().casefold() in (NO_CARD_OPTION, NO_CARD.casefold()):
            return NO_CARD
        if self.charge_cards is None:
            await self.async_list_charge_cards()
        if (found := self.find_card(card)) is None:
            # The value is not echoed: it may be a card uid, which stays out of logs.
            raise validation_error("unknown_card")
        return found.uid

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
                await profile_setter(client, profile)(evse_id, True)  # noqa: FBT003
                sent = True
            for other, active in flags.items():
                if other is not profile and active is not False:
                    await profile_setter(client, other)(evse_id, False)  # noqa: FBT003
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

    # session events: the card of the ended session

    def _session_card(self, evse_id: str) -> tuple[str | None, str | None]:
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
        return name, card_id
