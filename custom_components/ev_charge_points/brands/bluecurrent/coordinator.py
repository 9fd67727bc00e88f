"""Blue Current's coordinator: one account's websocket, kept open by the push base.

One websocket carries every charge point of the account. On every (re)connect the charge
point list is read, then the status of every point and the grid of a point whose grid is not
known yet (grids and cards are remembered between restarts, `memory.py`); after that pushes
keep the data current. The brand adds what only Blue Current has: the daily request budget
(a repair issue and no reconnect until it resets), override-current schedules behind the
charge current limit, charge cards, smart-charging profiles and boost.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.bluecurrent import (
    NO_CARD,
    BlueCurrentClient,
    BlueCurrentCommandError,
    BlueCurrentConnectionError,
    BlueCurrentError,
    BlueCurrentInvalidTokenError,
    BlueCurrentRequestLimitError,
    BlueCurrentServerError,
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
)
from custom_components.ev_charge_points.model import Capability, ChargerActivity
from custom_components.ev_charge_points.push import AfterError, PushCoordinator

from .app_api import BlueCurrentAppApi
from .capabilities import BLUE_CURRENT_CAPABILITIES
from .cards import ChargeCardsMixin
from .const import (
    CHARGE_POINTS_REFRESH_INTERVAL,
    GRID_PUSH_WAIT,
    ISSUE_REQUEST_LIMIT,
    LIMIT_RESET_RETRY_DELAYS,
    MANUFACTURER,
    entry_title,
)
from .errors import explain
from .mapping import PointState, grid_model
from .memory import AccountMemory
from .schedules import OverrideSchedulesMixin
from .smart_charging import SmartChargingMixin

# Failures of one request that leave the socket working: that charge point is withheld.
_ONE_POINT_ERRORS = (BlueCurrentServerError, BlueCurrentCommandError)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.api.bluecurrent.models import (
        BlueCurrentMessage,
    )


# The mixins declare the entry as set (it always is here); DataUpdateCoordinator allows None.
class BlueCurrentCoordinator(  # type: ignore[misc]
    OverrideSchedulesMixin,
    ChargeCardsMixin,
    SmartChargingMixin,
    PushCoordinator[BlueCurrentClient],
):
    """Keeps one Blue Current account's websocket open and its data current.

    Schedules and the current limit, charge cards and smart charging are mixins of their own.
    """

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
        # Grids whose load arrived on this connection; the others are read after a wait,
        # unless they pushed before (in this run): the server pushes them, the push will come.
        self._grids_heard: set[str] = set()
        self._grids_pushing: set[str] = set()
        self._cancel_grid_wait: CALLBACK_TYPE | None = None
        # Grids, cards and account figures kept between restarts (requests saved).
        self.memory = AccountMemory(hass, entry.entry_id)
        # Points whose status cannot be read (an ERROR for that point only): not published,
        # so their entities are unavailable; retried with every charge point refresh.
        self._withheld: set[str] = set()
        # Withheld before the platforms ever saw them: announced once their status arrives.
        self._unannounced: set[str] = set()
        # Points missing from the last (successful, empty) list: removed if missing again.
        self._missing_once: set[str] = set()
        # Controls the server refused for a point (app-only commands): unavailable there.
        self._refused: dict[str, set[Capability]] = {}
        self._fetch_lock = asyncio.Lock()
        self._cancel_rollover: CALLBACK_TYPE | None = None
        self._requests_baseline = 0
        # Retries after a reset the server did not honour yet (server late, clock skew).
        self._reset_retries = 0
        self._waited_for_reset = False
        self._issue_id = f"{ISSUE_REQUEST_LIMIT}_{entry.entry_id}"
        # Schedules and cards: None until read after a connect.
        self._init_schedules()
        self._init_cards()
        self._session_cards: dict[str, str] = {}
        # The app API (pybluecurrent): history, account figures, the app-only commands.
        self.app_api = BlueCurrentAppApi(hass, entry)

    def capabilities(self, evse_id: str) -> frozenset[Capability]:
        """Every Blue Current charge point offers the same (the protocol has no model flags).

        Less what the server refused for this point since setup (an app-only command).
        """
        if refused := self._refused.get(evse_id):
            return BLUE_CURRENT_CAPABILITIES - refused
        return BLUE_CURRENT_CAPABILITIES

    # --- push base hooks ---------------------------------------------------------------------

    @callback
    def _async_prepare(self) -> None:
        self._async_retitle_entry()
        self._cleanup.append(self.client.subscribe(self._async_on_message))

    @callback
    def _async_retitle_entry(self) -> None:
        """Entries used to be named after the account's e-mail, which HA's logs then show."""
        entry = self.config_entry
        if "@" in entry.title and entry.unique_id:
            self.hass.config_entries.async_update_entry(entry, title=entry_title(entry.unique_id))

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
            if self._waited_for_reset and self._reset_retries < len(LIMIT_RESET_RETRY_DELAYS):
                # The first attempts after the reset are still refused: the server's day
                # may end a little later than ours. Try again within minutes, not tomorrow.
                delay = LIMIT_RESET_RETRY_DELAYS[self._reset_retries]
                self._reset_retries += 1
                LOGGER.debug("Still over the request limit after the reset; retry in %s", delay)
                await self._async_sleep(delay.total_seconds())
                return AfterError.RETRY_NOW
            await self._async_wait_for_limit_reset(error.reset_at)
            self._waited_for_reset = True
            self._reset_retries = 0
            return AfterError.RETRY_NOW
        return AfterError.BACKOFF

    def _setup_waits_for(self, error: Exception) -> bool:
        """The request limit at setup: a repair issue and a wait, not Home Assistant's retries."""
        return isinstance(error, BlueCurrentRequestLimitError)

    async def async_shutdown(self) -> None:
        """Stop the loop, close the socket, cancel the timers and the repair issue."""
        if self._cancel_rollover is not None:
            self._cancel_rollover()
            self._cancel_rollover = None
        self._async_cancel_grid_wait()
        await super().async_shutdown()
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)

    async def _async_close(self) -> None:
        await self.client.disconnect()

    @callback
    def _async_set_link_up(self) -> None:
        self.limited_until = None
        self._waited_for_reset = False
        self._reset_retries = 0
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
            await self.memory.async_load()
            if full:
                self._async_forget_grid_loads()
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
            targets = list(self._points) if full else sorted(added | self._withheld)
            grid_targets = self._grid_request_targets(targets)
            results = await asyncio.gather(
                *(self.client.get_status(evse_id) for evse_id in targets),
                *(self.client.get_grid_status(evse_id) for evse_id in grid_targets),
                return_exceptions=True,
            )
            failure = self._async_apply_replies(targets, grid_targets, results)
            await self.memory.async_save()
            if failure is not None:
                raise failure
            self._async_remove_stale_devices()
            if announce := added - self._withheld:
                self._async_announce_charge_points(announce)
            self._unannounced |= added & self._withheld

    @callback
    def _async_apply_replies(
        self, targets: list[str], grid_targets: list[str], results: list[object]
    ) -> BaseException | None:
        """Apply the status and grid replies of a fetch; returns the first connection failure."""
        failure: BaseException | None = None
        statuses = len(targets)
        for index, (evse_id, result) in enumerate(
            zip([*targets, *grid_targets], results, strict=True)
        ):
            if isinstance(result, _ONE_POINT_ERRORS):
                # Refused for this point only; the socket is fine.
                if index < statuses:
                    self._async_withhold(evse_id, result)
            elif isinstance(result, BaseException):
                failure = failure or result
            elif isinstance(result, ChargePointStatus):
                self._async_apply_status(result)
            elif isinstance(result, GridStatus):
                self._async_apply_grid(result, evse_id)
        return failure

    @callback
    def _async_withhold(self, evse_id: str, err: BaseException) -> None:
        """The point's status cannot be read: its entities are unavailable until it can."""
        if evse_id not in self._points:
            return
        if evse_id not in self._withheld:
            LOGGER.warning(
                "Cannot read the status of charge point %s (%s); retrying every %s",
                evse_id,
                type(err).__name__,
                CHARGE_POINTS_REFRESH_INTERVAL,
            )
        self._withheld.add(evse_id)
        self._points[evse_id].status = None
        if evse_id in self.data.charge_points:
            self.data.charge_points.pop(evse_id)
            self._async_notify_key(evse_id)

    @callback
    def _async_release(self, evse_id: str) -> None:
        """A status of a withheld point arrived: publish it (and announce a new one)."""
        self._withheld.discard(evse_id)
        self._async_publish_point(evse_id)
        if evse_id in self._unannounced:
            self._unannounced.discard(evse_id)
            self._async_announce_charge_points({evse_id})

    def _kept_charge_point_ids(self) -> set[str]:
        """Withheld points still belong to the account: their devices stay."""
        return set(self._points)

    def _grid_request_targets(self, evse_ids: list[str]) -> list[str]:
        """The points whose grid is not known yet, and one point of a grid read long ago.

        A known grid is not asked again after a reconnect or a restart: GRID_CURRENT pushes
        deliver its load (`_async_read_silent_grids` asks if none comes), and its installed
        and reserved maximum are remembered. Each request counts against the daily budget.
        """
        now = dt_util.utcnow()
        targets: list[str] = []
        stale: set[str] = set()
        for evse_id in evse_ids:
            grid_id = self._grid_of.get(evse_id)
            if grid_id is None or grid_id not in self._grids:
                targets.append(evse_id)
            elif grid_id not in stale and not self.memory.grid_is_current(grid_id, now):
                stale.add(grid_id)
                targets.append(evse_id)
        return targets

    @callback
    def _async_recall_grid(self, evse_id: str) -> None:
        """A point joined (or setup listed it): take its remembered grid, if any."""
        if evse_id in self._grid_of or (grid_id := self.memory.grid_of.get(evse_id)) is None:
            return
        self._grid_of[evse_id] = grid_id
        if grid_id not in self._grids and (remembered := self.memory.remembered_grid(grid_id)):
            self._grids[grid_id] = remembered
            self._async_publish_grid_status(grid_id)

    @callback
    def _async_forget_grid_loads(self) -> None:
        """A (re)connect: loads from before it are not live; pushes or a read bring new ones."""
        self._grids_heard.clear()
        for grid_id, grid in list(self._grids.items()):
            if grid.currents != (None, None, None):
                self._grids[grid_id] = replace(grid, currents=(None, None, None))
                self._async_publish_grid_status(grid_id)

    @callback
    def _async_cancel_grid_wait(self) -> None:
        if self._cancel_grid_wait is not None:
            self._cancel_grid_wait()
            self._cancel_grid_wait = None

    @callback
    def _async_wait_for_grid_pushes(self) -> None:
        """After a connect: give GRID_CURRENT pushes `GRID_PUSH_WAIT` to arrive."""
        self._async_cancel_grid_wait()

        @callback
        def _waited(_now: datetime) -> None:
            self._cancel_grid_wait = None
            if self.link_up and not self._stopping:
                self.config_entry.async_create_background_task(
                    self.hass, self._async_read_silent_grids(), f"{DOMAIN} silent grids"
                )

        self._cancel_grid_wait = async_call_later(self.hass, GRID_PUSH_WAIT, _waited)

    async def _async_read_silent_grids(self) -> None:
        """Read each grid that sent no load since the connect and never pushed (one point each).

        A grid that pushed before in this run is left to its next push: reading it after
        every reconnect would cost a request per grid each time.
        """
        targets: dict[str, str] = {}
        for evse_id, grid_id in self._grid_of.items():
            if (
                grid_id not in self._grids_heard
                and grid_id not in self._grids_pushing
                and evse_id not in self._withheld
            ):
                targets.setdefault(grid_id, evse_id)
        for evse_id in targets.values():
            try:
                grid = await self.client.get_grid_status(evse_id)
            except BlueCurrentError as err:
                LOGGER.debug("Reading the grid of %s failed: %s", evse_id, type(err).__name__)
                return
            self._async_apply_grid(grid, evse_id)
        await self.memory.async_save()

    @callback
    def _async_apply_charge_point_list(
        self, points: list[ChargePoint], *, remove_missing: bool = True
    ) -> set[str]:
        """Add, update and (unless told not to) remove charge points; returns the new ids.

        A point leaves when a read lists other points but not it, or when two successful
        reads in a row list nothing: one empty reply removes nothing.
        """
        seen = {point.evse_id for point in points}
        if remove_missing and not seen and self._points:
            gone = set(self._points)
            remove_missing = gone <= self._missing_once
            self._missing_once = set() if remove_missing else gone
            if not remove_missing:
                LOGGER.debug("The charge point list came back empty; keeping the points")
        else:
            self._missing_once = set()
        added: set[str] = set()
        for point in points:
            if (state := self._points.get(point.evse_id)) is None:
                state = PointState(info=point)
                self._points[point.evse_id] = state
                added.add(point.evse_id)
                self._async_recall_grid(point.evse_id)
            state.apply_info(point)
            self._async_publish_point(point.evse_id)
        if remove_missing:
            for evse_id in set(self._points) - seen:
                self._async_remove_point(evse_id)
        return added

    @callback
    def _async_remove_point(self, evse_id: str) -> None:
        del self._points[evse_id]
        self._withheld.discard(evse_id)
        self._unannounced.discard(evse_id)
        grid_id = self._grid_of.pop(evse_id, None)
        self.memory.forget_charge_point(evse_id)
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
        if (state := self._points.get(evse_id)) is None or evse_id in self._withheld:
            return
        self._async_publish_charge_point(
            state.to_model(self._grid_of.get(evse_id)), has_status=state.status is not None
        )

    @callback
    def _async_publish_grid_status(self, grid_id: str) -> None:
        if (grid := self._grids.get(grid_id)) is not None:
            self._async_publish_grid(grid_model(grid_id, grid))

    @callback
    def _async_apply_status(self, status: ChargePointStatus) -> None:
        if (state := self._points.get(status.evse_id)) is None:
            LOGGER.debug("Ignoring status of unknown charge point %s", status.evse_id)
            return
        state.apply_status(status)
        if status.evse_id in self._withheld:
            self._async_release(status.evse_id)
            return
        self._async_publish_point(status.evse_id)

    @callback
    def _async_apply_grid(self, grid: GridStatus, evse_id: str | None) -> None:
        """A GRID_STATUS; without `id` it is the grid of the point it was asked for."""
        evse_id = evse_id or grid.evse_id
        grid_id = grid.grid_id
        if grid_id is None and evse_id is not None:
            # The server names a grid after a point on it ("GRID-<evse_id>").
            grid_id = self._grid_of.get(evse_id) or f"GRID-{evse_id}"
        if grid_id is None:
            LOGGER.debug("Ignoring a grid status that names no grid")
            return
        self._grids[grid_id] = grid
        self._grids_heard.add(grid_id)
        self.memory.remember_grid(evse_id, grid_id, grid)
        self._async_publish_grid_status(grid_id)
        if (
            evse_id is not None
            and evse_id in self._points
            and self._grid_of.get(evse_id) != grid_id
        ):
            self._grid_of[evse_id] = grid_id
            self._async_publish_point(evse_id)

    @callback
    def _async_apply_grid_current(self, message: GridCurrent) -> None:
        grid_id = message.grid_id
        if grid_id is None and message.evse_id is not None:
            grid_id = self._grid_of.get(message.evse_id)
        if grid_id is None and message.evse_id is None and len(self._grids) == 1:
            grid_id = next(iter(self._grids))  # the account's only grid
        if grid_id is None or (grid := self._grids.get(grid_id)) is None:
            LOGGER.debug("Ignoring grid current of unknown grid")
            return
        self._grids[grid_id] = replace(grid, currents=message.currents)
        self._grids_heard.add(grid_id)
        self._grids_pushing.add(grid_id)
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
            "remembered": self.memory.diagnostics(),
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
        """Release the cable: the app's own action through the app API (a refusal is reported).

        A portable charge point takes the websocket command instead (§2.1).
        """
        if not await self.app_api.async_unlock_connector(evse_id):
            await self.async_execute_app_only(
                evse_id,
                lambda client: client.unlock_connector(evse_id),
                capability=Capability.UNLOCK_CONNECTOR,
            )

    async def async_execute_app_only(
        self,
        evse_id: str,
        command: Callable[[BlueCurrentClient], Awaitable[object]],
        *,
        capability: Capability | None = None,
    ) -> None:
        """Run a command the protocol shows only on the app socket (or a retired one).

        If the server answers it with an ERROR, the user is told the account's server does
        not support it, and the control (`capability`) turns unavailable for this point;
        the connection stays as it is.
        """
        try:
            await self.async_execute(evse_id, command)
        except HomeAssistantError as err:
            if not isinstance(err.__cause__, BlueCurrentServerError):
                raise
            LOGGER.debug("The server refused a command for %s: not supported there", evse_id)
            if capability is not None:
                self._refused.setdefault(evse_id, set()).add(capability)
                self._async_notify_key(evse_id)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="not_supported_by_server"
            ) from err.__cause__

    async def async_set_blocked(self, evse_id: str, blocked: bool) -> None:  # noqa: FBT001
        """Block or unblock the charge point.

        Confirmed by the reply or by the status push that shows the new activity, whichever
        comes first (the vendor's library ignores the OPERATIVE replies and relies on the
        status).
        """
        shown: asyncio.Future[None] = self.hass.loop.create_future()

        @callback
        def _on_change() -> None:
            point = self.data.charge_points.get(evse_id)
            if (
                point is not None
                and (point.activity is ChargerActivity.BLOCKED) is blocked
                and not shown.done()
            ):
                shown.set_result(None)

        remove = self.async_add_key_listener(evse_id, _on_change, reads=frozenset({"activity"}))
        command = asyncio.ensure_future(
            self.async_execute(evse_id, lambda client: client.block(evse_id, blocked))
        )
        try:
            await asyncio.wait({command, shown}, return_when=asyncio.FIRST_COMPLETED)
            if not command.done():
                command.cancel()  # the status confirmed it: no need to wait for the reply
                await asyncio.wait({command})
            else:
                command.result()
        finally:
            remove()
            shown.cancel()

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
        self._async_wait_for_grid_pushes()

    @callback
    def _async_set_link_down(self) -> None:
        self._async_cancel_grid_wait()
        super()._async_set_link_down()

    async def _async_load_account_extras(self) -> None:
        try:
            schedules = await self.client.list_override_currents()
        except BlueCurrentError as err:
            LOGGER.debug("Reading the override schedules failed: %s", type(err).__name__)
        else:
            self._async_store_schedule_list(schedules)
            await self._async_reassert_current_limits()
        if self.charge_cards is not None:
            # Read once; the list action and a card named by an action read them again.
            return
        if (cards := self.memory.current_cards(dt_util.utcnow())) is None:
            try:
                cards = await self.client.get_charge_cards()
            except BlueCurrentError as err:
                LOGGER.debug("Reading the charge cards failed: %s", type(err).__name__)
                return
            self.memory.remember_cards(cards)
            await self.memory.async_save()
        self.charge_cards = cards
        self._async_notify_points()

    # sessions

    async def async_start_session(self, evse_id: str, card_uid: str | None = None) -> None:
        """Start a session with the card (None: the card chosen in the select)."""
        uid = self.chosen_card(evse_id) if card_uid is None else card_uid
        await self.async_execute(evse_id, lambda client: client.start_session(evse_id, uid))
        self._session_cards[evse_id] = uid

    async def async_stop_session(self, evse_id: str) -> None:
        """Stop the running session."""
        await self.async_execute(evse_id, lambda client: client.stop_session(evse_id))

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
