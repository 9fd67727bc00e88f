"""Blue Current's override-current schedules, and the charge current limit built on them.

Blue Current has no set-point command: the charge current limit is a user override-current
schedule the integration owns (this charge point only, every day 00:00-23:59), recognised by
its shape. A charge point belongs to one schedule at most.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError

from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentError
from custom_components.ev_charge_points.const import DOMAIN, LOGGER

from .controls import OverrideWindow, is_limit_schedule, limit_window, with_points
from .mixin_host import CoordinatorMixinHost

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
    from custom_components.ev_charge_points.api.bluecurrent.models import (
        OverrideCurrentSchedule,
    )


class OverrideSchedulesMixin(CoordinatorMixinHost):
    """The account's schedules (None until read after a connect) and the limits kept."""

    override_schedules: dict[str, OverrideCurrentSchedule] | None
    _schedule_lock: asyncio.Lock
    _current_limits: dict[str, float]

    def _init_schedules(self) -> None:
        self.override_schedules = None
        self._schedule_lock = asyncio.Lock()
        self._current_limits = {}

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

    def current_limit_known(self, evse_id: str) -> bool:  # noqa: ARG002
        """The limit is a schedule: known once the account's schedules were read."""
        return self.override_schedules is not None

    def current_limit(self, evse_id: str) -> float | None:
        """The owned schedule's current; before the schedules are read, the kept value."""
        if self.override_schedules is None:
            return self.current_limit_wanted(evse_id)
        owned = self.owned_limit_schedule(evse_id)
        return owned.current if owned is not None else None
