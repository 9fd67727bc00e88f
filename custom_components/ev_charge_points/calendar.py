"""A calendar of each charge point's charging sessions (past ones from the account's history).

Setting up this platform also starts the entry's history import (history.py), so the ledger the
calendar reads is filled at setup and after every session end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.util import dt as dt_util

from .entity import EVChargePointEntity, EVEntityDescription, async_setup_charge_point_entities
from .model import Capability

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import EVChargePointsCoordinator
    from .history import ChargingSession, HistoryManager
    from .runtime import EVChargePointsConfigEntry

PARALLEL_UPDATES = 0

SESSIONS = EVEntityDescription(
    key="charging_sessions",
    translation_key="charging_sessions",
    # The running session (`_running_start`); past ones come from the history manager.
    reads=("activity", "session_start", "session_stop"),
)
# A running session has no end yet: it is shown as lasting until the next quarter hour.
RUNNING_STEP = timedelta(minutes=15)


def session_event(session: ChargingSession, no_card_id: str | None) -> CalendarEvent:
    """A completed session as a calendar event (`no_card_id`: the source's "no card")."""
    summary = f"{session.energy:.2f} kWh"
    if session.cost is not None and session.currency:
        summary += f", {session.cost:.2f} {session.currency}"
    details = [f"Energy: {session.energy:.2f} kWh"]
    if session.cost is not None:
        details.append(f"Cost: {session.cost:.2f} {session.currency or ''}".rstrip())
    if session.card_name or (session.card_id and session.card_id != no_card_id):
        details.append(f"Card: {session.card_name or session.card_id}")
    end = session.end if session.end > session.start else session.start + timedelta(seconds=1)
    return CalendarEvent(
        start=dt_util.as_local(session.start),
        end=dt_util.as_local(end),
        summary=summary,
        description="\n".join(details),
        uid=session.id,
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a sessions calendar per charge point."""
    coordinator = entry.runtime_data.coordinator
    manager = entry.runtime_data.history
    if manager is None:
        return  # the brand has no session source

    def _create(evse_id: str) -> Iterable[Entity]:
        if coordinator.supports(evse_id, Capability.SESSION_HISTORY):
            yield EVSessionCalendar(coordinator, manager, evse_id)

    async_setup_charge_point_entities(hass, entry, _create, async_add_entities)


class EVSessionCalendar(EVChargePointEntity, CalendarEntity):
    """Completed sessions of one charge point; the running one is the current event."""

    def __init__(
        self, coordinator: EVChargePointsCoordinator[Any], manager: HistoryManager, evse_id: str
    ) -> None:
        """Set up the calendar."""
        super().__init__(coordinator, evse_id, SESSIONS)
        self._manager = manager

    async def async_added_to_hass(self) -> None:
        """Also follow the history imports."""
        await super().async_added_to_hass()
        self.async_on_remove(self._manager.async_add_listener(self._handle_update))

    def _running_start(self) -> datetime | None:
        point = self.charge_point
        if point is None or not point.charging or point.session_start is None:
            return None
        if point.session_stop is not None and point.session_stop >= point.session_start:
            return None
        return point.session_start

    @property
    def event(self) -> CalendarEvent | None:
        """The running session, if any (completed ones are in the past)."""
        if (start := self._running_start()) is None:
            return None
        now = dt_util.utcnow()
        steps = (now - start) // RUNNING_STEP + 1
        return CalendarEvent(
            start=dt_util.as_local(start),
            end=dt_util.as_local(start + steps * RUNNING_STEP),
            summary="Charging",
        )

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self._running_start())

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Sessions overlapping the range, oldest first (the running one included)."""
        del hass
        await self._manager.async_ensure_synced()
        start, end = dt_util.as_utc(start_date), dt_util.as_utc(end_date)
        events = [
            session_event(session, self._manager.source.no_card_id)
            for session in self._manager.sessions(self._evse_id)
            if session.overlaps(start, end)
        ]
        if (running := self.event) is not None and running.start < end_date:
            events.append(running)
        return events
