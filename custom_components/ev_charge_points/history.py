"""Charging history: a brand's completed sessions into a local ledger and statistics.

One `HistoryManager` per config entry:
- keeps the account's completed sessions in a `Store` (the ledger, with a watermark: the latest
  stop time seen), read incrementally from the brand's source (what stopped since a day before
  the watermark, everything of charge points new to the ledger);
- back-fills each charge point's ONE energy statistic, the lifetime energy sensor's own
  (recorder) statistic, with the hours before that sensor's live statistics begin ("live
  from"): each session spread over the hours it spans in proportion to the time, only its part
  before "live from" (a part in that first live hour goes to the hour before it, so nothing is
  lost; of the session running at "live from", exactly the energy it had then). The
  back-filled sums run up to 0 at the last back-filled hour, where the recorder's own sums of
  the live values start (at 0, from the sensor's first reading): one series with no overlap
  and no gap, whatever order the two arrive in. Its state column is the meter reading the
  history explains (the running total of the sessions);
- imports the cost as an hourly external statistic per charge point in the tariff currency
  (no sensor carries a lifetime cost, so nothing else could count it twice).
  Both are pure functions of the ledger, rows are upserted by their start hour, so a re-import
  changes nothing and sessions that ended while Home Assistant was off fill their gap;
- skips a session that cannot be real (it ends in the future, lasts longer than a month, or
  holds more energy than a charge point could deliver in its time) with one warning: it never
  moves the watermark past real sessions nor spreads over years of hourly rows;
- runs an import at setup and shortly after each session end;
- answers the `get_charging_sessions` action (history_actions.py) and feeds the calendar.

The sessions come from the brand's `SessionSource` (Blue Current: REST transactions).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, Self

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform, UnitOfEnergy
from homeassistant.core import (
    CALLBACK_TYPE,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from .const import DOMAIN, LIFETIME_ENERGY, LOGGER
from .lifetime_meter import ABSURD_SESSION_KWH, CLOCK_SKEW, DEFAULT_MAX_POWER_KW
from .stores import entry_store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.components.recorder.models import StatisticData, StatisticMetaData
    from homeassistant.config_entries import ConfigEntry

    from .coordinator import EVChargePointsCoordinator
    from .model import ChargePointData


# The session ledger (card ids and names included): removed with the entry.
LEDGER_STORE: Final = "history"
# Sessions that stop shortly after the newest one we have may be booked late: re-read a day.
REREAD_WINDOW: Final = timedelta(days=1)
# The server books a finished session with some delay (inferred); import a little later.
SESSION_END_IMPORT_DELAY: Final = 60.0
HOUR: Final = timedelta(hours=1)
# The history and the live frames may state a session's start a little differently.
SAME_START: Final = timedelta(minutes=2)
# Statistics are looked for from here on (no charge point history is older).
EARLIEST_STATISTIC: Final = datetime(2000, 1, 1, tzinfo=UTC)
# Diagnostics wait this long (s) for an import that is running.
DIAGNOSTICS_WAIT: Final = 15.0
# A session longer than this is a broken record (at most a month of hourly rows).
MAX_SESSION_DURATION: Final = timedelta(days=31)
# Rounding allowance on the physical bound of a session's energy.
ENERGY_SLACK_KWH: Final = 1.0


@dataclass(frozen=True, slots=True)
class ChargingSession:
    """One completed session as the integration keeps and shows it (brand-neutral)."""

    id: str
    charge_point_id: str
    charge_point_name: str | None
    start: datetime
    end: datetime
    energy: float  # kWh
    cost: float | None
    cost_ex_vat: float | None
    vat_percentage: float | None
    currency: str | None
    card_id: str | None
    card_name: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form: the ledger's storage format and the action's response."""
        return {
            "id": self.id,
            "charge_point_id": self.charge_point_id,
            "charge_point_name": self.charge_point_name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "energy": self.energy,
            "cost": self.cost,
            "cost_ex_vat": self.cost_ex_vat,
            "vat_percentage": self.vat_percentage,
            "currency": self.currency,
            "card_id": self.card_id,
            "card_name": self.card_name,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read back `as_dict` output."""
        return cls(
            id=str(data["id"]),
            charge_point_id=str(data["charge_point_id"]),
            charge_point_name=data.get("charge_point_name"),
            start=dt_util.as_utc(datetime.fromisoformat(data["start"])),
            end=dt_util.as_utc(datetime.fromisoformat(data["end"])),
            energy=float(data["energy"]),
            cost=data.get("cost"),
            cost_ex_vat=data.get("cost_ex_vat"),
            vat_percentage=data.get("vat_percentage"),
            currency=data.get("currency"),
            card_id=data.get("card_id"),
            card_name=data.get("card_name"),
        )

    def overlaps(self, start: datetime | None, end: datetime | None) -> bool:
        """Whether the session touches [start, end)."""
        return (start is None or self.end >= start) and (end is None or self.start < end)

    def matches_card(self, card: str) -> bool:
        """Whether the session ran on `card` (its id or name, case-insensitive)."""
        wanted = card.strip().casefold()
        return wanted in {(self.card_id or "").casefold(), (self.card_name or "").casefold()}


def implausible(session: ChargingSession, now: datetime) -> str | None:
    """Why a session cannot be real (a broken record), or None when it can."""
    if session.end > now + CLOCK_SKEW:
        return "it ends in the future"
    duration = session.end - session.start
    if duration > MAX_SESSION_DURATION:
        return "it lasts longer than a month"
    energy = session.energy
    if not math.isfinite(energy) or energy < 0:
        return "its energy is not a positive number"
    # The lifetime meter's bounds: no session holds more, no charge point delivers faster.
    bound = DEFAULT_MAX_POWER_KW * duration.total_seconds() / 3600 + ENERGY_SLACK_KWH
    if energy > min(ABSURD_SESSION_KWH, bound):
        return "it holds more energy than a charge point can deliver in its time"
    return None


# --- statistics (pure functions) ------------------------------------------------------------


def _hour_floor(moment: datetime) -> datetime:
    return dt_util.as_utc(moment).replace(minute=0, second=0, microsecond=0)


def hourly_amounts(
    sessions: Iterable[ChargingSession],
    value: Callable[[ChargingSession], float | None],
    until: datetime | None = None,
) -> dict[datetime, float]:
    """Spread each session's value over the UTC hours it spans, in proportion to the time.

    With `until`, only the part of each session before it.
    """
    buckets: dict[datetime, float] = {}
    for session in sessions:
        amount = value(session)
        if not amount:
            continue
        start, end = dt_util.as_utc(session.start), dt_util.as_utc(session.end)
        duration = (end - start).total_seconds()
        if duration <= 0:
            if until is None or start < until:
                hour = _hour_floor(start)
                buckets[hour] = buckets.get(hour, 0.0) + amount
            continue
        hour = _hour_floor(start)
        cut = end if until is None else min(end, until)
        while hour < cut:
            overlap = (min(cut, hour + HOUR) - max(start, hour)).total_seconds()
            if overlap > 0:
                buckets[hour] = buckets.get(hour, 0.0) + amount * overlap / duration
            hour += HOUR
    return buckets


def cumulative_rows(buckets: dict[datetime, float], since: datetime | None) -> list[StatisticData]:
    """Statistic rows (state = sum = running total) for every hour from `since` on."""
    total = 0.0
    rows: list[StatisticData] = []
    for hour in sorted(buckets):
        total += buckets[hour]
        if since is None or hour >= since:
            value = round(total, 6)
            rows.append({"start": hour, "state": value, "sum": value})
    return rows


def backfill_rows(
    sessions: Iterable[ChargingSession],
    live_from: datetime,
    running: tuple[datetime, float] | None = None,
) -> list[StatisticData]:
    """Energy rows of the hours before `live_from`'s hour, their sums ending at 0 (see above).

    `running`: the start and energy of the session that ran when the live values began. Its
    part before them is exactly that energy (the live values count only what came after),
    not a share in proportion to the time.
    """
    first_live_hour = _hour_floor(live_from)
    if running is not None:
        start, energy = running
        sessions = [
            replace(s, end=live_from, energy=energy)
            if abs(s.start - start) <= SAME_START and s.end > live_from
            else s
            for s in sessions
        ]
    buckets = hourly_amounts(sessions, lambda s: s.energy, until=live_from)
    if (in_live_hour := buckets.pop(first_live_hour, 0.0)) > 0:
        last = first_live_hour - HOUR
        buckets[last] = buckets.get(last, 0.0) + in_live_hour
    rows = cumulative_rows(buckets, None)
    if not rows:
        return []
    offset = rows[-1]["sum"] or 0.0
    for row in rows:
        row["sum"] = round((row["sum"] or 0.0) - offset, 6)
    return rows


def _cost_in(currency: str) -> Callable[[ChargingSession], float | None]:
    """The session's cost if billed in `currency` (a statistic has one unit)."""
    return lambda session: session.cost if session.currency == currency else None


def statistic_id(evse_id: str, kind: str) -> str:
    """External statistic id of one charge point ("ev_charge_points:bcu101_energy")."""
    return f"{DOMAIN}:{slugify(evse_id)}_{kind}"


# --- the manager ------------------------------------------------------------------------------


SESSION_TIME_FIELDS: Final = frozenset({"session_start", "session_stop"})


class SessionSourceWaitsError(HomeAssistantError):
    """The source cannot read until the user acts (it raised a repair issue for it)."""


class SessionSource(Protocol):
    """Where a brand's completed sessions come from.

    `errors`: the source's own failures (logged; the next trigger retries). `no_card_id`: the
    card id of sessions started without a card (the calendar shows no card for it).
    """

    errors: ClassVar[tuple[type[Exception], ...]]
    no_card_id: ClassVar[str | None]

    async def async_completed(
        self, known: list[str], new: list[str], since: datetime | None
    ) -> list[ChargingSession]:
        """Sessions of `known` points stopped after `since`, and every session of `new` ones."""
        ...

    async def async_sessions(
        self, evse_ids: list[str], *, start: datetime | None, end: datetime | None
    ) -> list[ChargingSession]:
        """Completed sessions of the points in a period (the action)."""
        ...

    def action_error(self, err: Exception) -> HomeAssistantError:
        """The translated error of the sessions action for one of `errors`."""
        ...

    async def async_refresh_account_info(self) -> None:
        """Read the account's own figures, if the brand has any (after each import)."""
        ...

    def diagnostics(self) -> dict[str, Any]:
        """The source's state for the diagnostics download."""
        ...


class HistoryManager:
    """Keeps one account's session ledger and statistics current, from its brand's source."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        coordinator: EVChargePointsCoordinator[Any],
        source: SessionSource,
    ) -> None:
        """Prepare; nothing runs before `async_start`."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.source = source
        # What an import may raise that is no bug: logged, the next trigger retries.
        self._errors: tuple[type[Exception], ...] = (HomeAssistantError, *source.errors)
        self._store = entry_store(hass, LEDGER_STORE, entry.entry_id)
        self._sessions: dict[str, dict[str, ChargingSession]] = {}
        self._watermark: datetime | None = None
        self._complete: set[str] = set()  # charge points whose whole history was read
        self._skipped: set[str] = set()  # implausible sessions, warned about once
        self._statistics_from: dict[str, datetime | None] = {}
        # Where each lifetime sensor's own (live) statistics begin: back-filled before it.
        self._live_from: dict[str, datetime] = {}
        # The session that ran when those live statistics began: its start and energy then.
        self._live_session: dict[str, tuple[datetime, float]] = {}
        self._loaded = False
        self._lock = asyncio.Lock()
        self._listeners: list[CALLBACK_TYPE] = []
        self._seen_sessions: dict[str, tuple[datetime | None, datetime | None]] = {}
        self._cancel_scheduled: CALLBACK_TYPE | None = None
        self.synced = asyncio.Event()
        self.last_import: datetime | None = None
        self.last_error: str | None = None
        self.imported_sessions = 0
        self._update_callbacks: list[CALLBACK_TYPE] = []

    # --- lifecycle --------------------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Watch for session ends and run the first import in the background."""
        coordinator = self.coordinator
        for evse_id in coordinator.data.charge_points:
            self._async_watch(evse_id)
        self._listeners.append(
            coordinator.async_add_new_charge_points_listener(self._async_new_points)
        )
        self.async_schedule_import(0)

    @callback
    def async_stop(self) -> None:
        """Stop watching (entry unload); the running import is cancelled with the entry."""
        while self._listeners:
            self._listeners.pop()()
        if self._cancel_scheduled is not None:
            self._cancel_scheduled()
            self._cancel_scheduled = None

    @callback
    def async_add_listener(self, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update_callback` after every import (calendar, account sensors)."""
        self._update_callbacks.append(update_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError):
                self._update_callbacks.remove(update_callback)

        return _remove

    @callback
    def _async_new_points(self, evse_ids: set[str]) -> None:
        for evse_id in evse_ids:
            self._async_watch(evse_id)
        self.async_schedule_import(0)

    @callback
    def _async_watch(self, evse_id: str) -> None:
        coordinator = self.coordinator

        @callback
        def _changed() -> None:
            if (point := coordinator.data.charge_points.get(evse_id)) is not None:
                self._async_check_session_end(point)

        if (point := coordinator.data.charge_points.get(evse_id)) is not None:
            self._seen_sessions[evse_id] = (point.session_start, point.session_stop)
        # Only the session times tell that a session ended: other pushes need not wake this.
        self._listeners.append(
            coordinator.async_add_key_listener(evse_id, _changed, reads=SESSION_TIME_FIELDS)
        )

    @callback
    def _async_check_session_end(self, point: ChargePointData) -> None:
        """A new stop time after the start means a session ended: import it soon."""
        current = (point.session_start, point.session_stop)
        previous = self._seen_sessions.get(point.id)
        self._seen_sessions[point.id] = current
        start, stop = current
        if previous is None or stop is None or start is None or stop < start:
            return
        if stop != previous[1]:
            LOGGER.debug("Session on %s ended; importing it shortly", point.id)
            self.async_schedule_import(SESSION_END_IMPORT_DELAY)

    @callback
    def async_schedule_import(self, delay: float) -> None:
        """Run an import after `delay` seconds, or now (a pending one is replaced)."""
        if self._cancel_scheduled is not None:
            self._cancel_scheduled()
            self._cancel_scheduled = None
        if delay <= 0:
            self._async_run_import()
            return

        @callback
        def _run(_now: datetime) -> None:
            self._cancel_scheduled = None
            self._async_run_import()

        self._cancel_scheduled = async_call_later(self.hass, delay, _run)

    @callback
    def _async_run_import(self) -> None:
        # The first import starts while the entry is still being set up.
        if self.entry.state not in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_IN_PROGRESS):
            return
        self.entry.async_create_background_task(
            self.hass,
            self._async_background_import(),
            f"{DOMAIN} history import {self.entry.entry_id}",
        )

    async def _async_background_import(self) -> None:
        """An import nobody waits for: failures are logged, the next trigger retries."""
        try:
            await self.async_import()
        except SessionSourceWaitsError:
            LOGGER.debug("History needs the app login (repair issue raised)")
        except self._errors as err:
            LOGGER.info("Could not read the charging history: %s", err)

    # --- ledger ----------------------------------------------------------------------------

    async def _async_load(self) -> None:
        if self._loaded:
            return
        stored = await self._store.async_load() or {}
        now = dt_util.utcnow()
        for item in stored.get("sessions", []):
            try:
                session = ChargingSession.from_dict(item)
            except (KeyError, TypeError, ValueError):
                LOGGER.debug("Skipped an unreadable stored session")
                continue
            if implausible(session, now) is not None:
                # Kept by a version that did not check: it must not hold the watermark.
                self._skipped.add(session.id)
                continue
            self._sessions.setdefault(session.charge_point_id, {})[session.id] = session
        if watermark := stored.get("watermark"):
            self._watermark = dt_util.as_utc(datetime.fromisoformat(watermark))
        if self._watermark is not None and self._watermark > now + CLOCK_SKEW:
            self._watermark = max(
                (s.end for sessions in self._sessions.values() for s in sessions.values()),
                default=None,
            )
        self._complete = set(stored.get("complete", []))
        for evse_id, since in (stored.get("live_from") or {}).items():
            self._live_from[evse_id] = dt_util.as_utc(datetime.fromisoformat(since))
        for evse_id, (start, energy) in (stored.get("live_session") or {}).items():
            self._live_session[evse_id] = (
                dt_util.as_utc(datetime.fromisoformat(start)),
                float(energy),
            )
        self._skipped.update(str(item) for item in stored.get("skipped", []))
        for evse_id, since in (stored.get("statistics_from") or {}).items():
            self._statistics_from[evse_id] = (
                None if since is None else dt_util.as_utc(datetime.fromisoformat(since))
            )
        self._loaded = True

    def _stored(self) -> dict[str, Any]:
        return {
            "watermark": None if self._watermark is None else self._watermark.isoformat(),
            "complete": sorted(self._complete),
            "skipped": sorted(self._skipped),
            "live_from": {evse_id: since.isoformat() for evse_id, since in self._live_from.items()},
            "live_session": {
                evse_id: [start.isoformat(), energy]
                for evse_id, (start, energy) in self._live_session.items()
            },
            "statistics_from": {
                evse_id: None if since is None else since.isoformat()
                for evse_id, since in self._statistics_from.items()
            },
            "sessions": [
                session.as_dict()
                for sessions in self._sessions.values()
                for session in sorted(sessions.values(), key=lambda s: (s.end, s.id))
            ],
        }

    def sessions(self, evse_id: str) -> list[ChargingSession]:
        """The known completed sessions of one charge point, oldest first."""
        return sorted(self._sessions.get(evse_id, {}).values(), key=lambda s: (s.start, s.id))

    def meter_seed(self, evse_id: str) -> tuple[float, datetime | None]:
        """Where a new lifetime meter starts: the sum of the past sessions and the last start."""
        sessions = self.sessions(evse_id)
        total = round(sum(session.energy for session in sessions), 4)
        return total, max((session.start for session in sessions), default=None)

    async def async_ensure_synced(self) -> None:
        """Load the ledger; run an import if none ran yet, or wait for the running one."""
        await self._async_load()
        if not self.synced.is_set():
            with contextlib.suppress(*self._errors):
                await self.async_import()
        elif self._lock.locked():
            async with self._lock:
                pass

    # --- import ----------------------------------------------------------------------------

    async def async_import(self) -> int:
        """Read new completed sessions and import their statistics; returns how many were new."""
        async with self._lock:
            try:
                added = await self._async_import_locked()
            except self._errors as err:
                self.last_error = type(err).__name__
                LOGGER.debug("History import failed: %s", self.last_error)
                raise
            finally:
                self.synced.set()
                for update_callback in list(self._update_callbacks):
                    update_callback()
            self.last_error = None
            return added

    async def _async_import_locked(self) -> int:
        await self._async_load()
        coordinator = self.coordinator
        evse_ids = sorted(coordinator.data.charge_points)
        if not evse_ids:
            return 0
        # Charge points read before: only what stopped since the watermark (minus a day).
        # Charge points new to the ledger (first import, or joined the account): everything.
        known = [evse_id for evse_id in evse_ids if evse_id in self._complete]
        new = [evse_id for evse_id in evse_ids if evse_id not in self._complete]
        since = None if self._watermark is None else self._watermark - REREAD_WINDOW

        sessions = await self.source.async_completed(known, new, since)
        self._complete.update(new)
        added = 0
        now = dt_util.utcnow()
        for session in sessions:
            ledger = self._sessions.setdefault(session.charge_point_id, {})
            if session.id in ledger:
                continue
            if (reason := implausible(session, now)) is not None:
                if session.id not in self._skipped:
                    self._skipped.add(session.id)
                    LOGGER.warning(
                        "Skipped session %s of %s from the charging history: %s (%s to %s, %s kWh)",
                        session.id,
                        session.charge_point_id,
                        reason,
                        session.start.isoformat(),
                        session.end.isoformat(),
                        session.energy,
                    )
                continue
            ledger[session.id] = session
            added += 1
            first_hour = _hour_floor(session.start)
            pending = self._statistics_from.get(session.charge_point_id)
            self._statistics_from[session.charge_point_id] = (
                first_hour if pending is None else min(pending, first_hour)
            )
            if self._watermark is None or session.end > self._watermark:
                self._watermark = session.end
        if added:
            LOGGER.debug("History import: %d new sessions", added)
        self.imported_sessions += added
        await self._async_import_statistics()
        await self._store.async_save(self._stored())
        await self.source.async_refresh_account_info()
        self.last_import = dt_util.utcnow()
        return added

    def lifetime_entity_id(self, evse_id: str) -> str | None:
        """The entity id of a charge point's lifetime energy sensor (its statistic id)."""
        unique_id = f"{self.coordinator.customer_id}_{evse_id}_{LIFETIME_ENERGY}"
        return er.async_get(self.hass).async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id)

    async def _async_live_from(self, evse_id: str, entity_id: str) -> datetime:
        """Where the sensor's live statistics begin: its first row, or now (kept once known)."""
        if (known := self._live_from.get(evse_id)) is not None:
            return known
        # Imported here: the recorder is an optional (after-)dependency.
        from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
            statistics_during_period,
        )
        from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

        now = dt_util.utcnow()
        first = now
        for period in ("hour", "5minute"):
            rows = await get_instance(self.hass).async_add_executor_job(
                statistics_during_period,
                self.hass,
                EARLIEST_STATISTIC,
                None,
                {entity_id},
                period,
                None,
                {"sum"},
            )
            if found := rows.get(entity_id):
                first = min(first, dt_util.utc_from_timestamp(found[0]["start"]))
        point = self.coordinator.data.charge_points.get(evse_id)
        if (
            first == now
            and point is not None
            and point.session_start is not None
            and point.session_energy is not None
            and (point.session_stop is None or point.session_stop < point.session_start)
        ):
            # The lifetime sensor's first reading (the live zero point) holds this much of it.
            self._live_session[evse_id] = (point.session_start, point.session_energy)
        self._live_from[evse_id] = first
        return first

    async def _async_import_statistics(self) -> None:
        """Write statistic rows of every charge point with pending sessions (needs the recorder)."""
        if "recorder" not in self.hass.config.components:
            return
        # Imported here: the recorder is an optional (after-)dependency.
        from homeassistant.components.recorder.models import (  # noqa: PLC0415
            StatisticMeanType,
        )
        from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
            async_add_external_statistics,
            async_import_statistics,
        )

        for evse_id, sessions_by_id in self._sessions.items():
            if evse_id not in self._live_from and sessions_by_id:
                # Never back-filled into the lifetime sensor (a ledger of an earlier version,
                # which wrote an external statistic): all of its sessions are pending.
                first = _hour_floor(min(s.start for s in sessions_by_id.values()))
                pending = self._statistics_from.get(evse_id)
                self._statistics_from[evse_id] = first if pending is None else min(pending, first)
        for evse_id, since in list(self._statistics_from.items()):
            if since is None:
                continue
            sessions = list(self._sessions.get(evse_id, {}).values())
            if (entity_id := self.lifetime_entity_id(evse_id)) is None:
                continue  # no lifetime sensor (yet): its rows wait for it
            live_from = await self._async_live_from(evse_id, entity_id)
            running = self._live_session.get(evse_id)
            if since < live_from and (rows := backfill_rows(sessions, live_from, running)):
                energy: StatisticMetaData = {
                    "source": "recorder",
                    "statistic_id": entity_id,
                    "name": None,
                    "unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
                    "unit_class": "energy",
                    "has_sum": True,
                    "mean_type": StatisticMeanType.NONE,
                }
                async_import_statistics(self.hass, energy, rows)
            name = next((s.charge_point_name for s in sessions if s.charge_point_name), evse_id)
            currencies = Counter(s.currency for s in sessions if s.currency and s.cost is not None)
            if currencies:
                currency = currencies.most_common(1)[0][0]
                cost: StatisticMetaData = {
                    "source": DOMAIN,
                    "statistic_id": statistic_id(evse_id, "cost"),
                    "name": f"{name} charging cost",
                    "unit_of_measurement": currency,
                    "unit_class": None,
                    "has_sum": True,
                    "mean_type": StatisticMeanType.NONE,
                }
                rows = cumulative_rows(hourly_amounts(sessions, _cost_in(currency)), since)
                if rows:
                    async_add_external_statistics(self.hass, cost, rows)
            self._statistics_from[evse_id] = None

    # --- action ----------------------------------------------------------------------------

    async def async_fetch_sessions(
        self,
        evse_ids: list[str],
        *,
        start: datetime | None,
        end: datetime | None,
        card: str | None,
    ) -> list[ChargingSession]:
        """Completed sessions from the source, newest stop first."""
        sessions = [
            session
            for session in await self.source.async_sessions(evse_ids, start=start, end=end)
            if card is None or session.matches_card(card)
        ]
        sessions.sort(key=lambda s: (s.end, s.id), reverse=True)
        return sessions

    async def async_diagnostics(self) -> dict[str, Any]:
        """State for the diagnostics download, after a running import (the caller redacts it)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(DIAGNOSTICS_WAIT):
                await self.async_ensure_synced()
        return self.diagnostics()

    def diagnostics(self) -> dict[str, Any]:
        """State for the diagnostics download (the caller redacts it)."""
        return {
            **self.source.diagnostics(),
            "watermark": None if self._watermark is None else self._watermark.isoformat(),
            "sessions": {evse_id: len(s) for evse_id, s in sorted(self._sessions.items())},
            "statistics_pending": {
                evse_id: since.isoformat()
                for evse_id, since in self._statistics_from.items()
                if since is not None
            },
            "live_from": {
                evse_id: since.isoformat() for evse_id, since in sorted(self._live_from.items())
            },
            "skipped_sessions": len(self._skipped),
            "last_import": None if self.last_import is None else self.last_import.isoformat(),
            "last_error": self.last_error,
        }
