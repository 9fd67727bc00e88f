"""veCharge client models -> the neutral model.

`ChargerState` is what the coordinator knows of the charger: the last document, updated by
every `statusChanged` and `newLog`. `apply` folds one event into it (pure); `charge_point`
maps it onto `ChargePointData`.

Session energy: veCharge's `energy` is the energy of the running session; switching off ends
the session (the server moves it to `prev_energy` and restarts at 0). A `newLog` whose energy
is below what the session already reached is a bad sample, not a new session, unless the
charger was seen switched off since: then it is the next session's first reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from custom_components.ev_charge_points.api.vecharge import (
    ChargerDocument,
    ChargerStatus,
    MeterLog,
    StatusChange,
)
from custom_components.ev_charge_points.model import (
    AccessMode,
    ChargePointData,
    ChargerActivity,
)

from .const import MANUFACTURER

if TYPE_CHECKING:
    from datetime import datetime

    from custom_components.ev_charge_points.api.vecharge import VeChargeEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargerState:
    """What is known of one charger; None: not reported (yet)."""

    status: ChargerStatus | None = None
    voltage: float | None = None
    current: float | None = None
    power: float | None = None
    energy: float | None = None
    # Switched off since `energy` was read: the next reading may start a new session.
    session_ended: bool = False
    wifi_connected: bool | None = None
    active: bool | None = None
    mode: str | None = None
    connected_at: datetime | None = None


def _from_document(document: ChargerDocument) -> ChargerState:
    return ChargerState(
        status=document.status,
        voltage=document.voltage,
        current=document.current,
        power=document.power,
        energy=document.energy,
        session_ended=document.status is ChargerStatus.OFF,
        wifi_connected=document.wifi_connectivity,
        active=document.is_active,
        mode=document.charger_mode,
        connected_at=document.connected_at,
    )


def _session_energy(state: ChargerState, reading: float | None) -> tuple[float | None, bool]:
    """The session energy after a `newLog` reading, and whether a session end is still pending."""
    if reading is None:
        return state.energy, state.session_ended
    if state.energy is not None and reading < state.energy and not state.session_ended:
        return state.energy, False  # below the running session: a bad sample
    return reading, False


def apply(state: ChargerState, event: VeChargeEvent) -> ChargerState:
    """The state after `event` (events that carry no charger data leave it as it is)."""
    match event:
        case ChargerDocument():
            return _from_document(event)
        case StatusChange(status=ChargerStatus.OFF):
            # Confirmed off: the relay is open, so nothing flows any more.
            return replace(
                state, status=ChargerStatus.OFF, current=0.0, power=0.0, session_ended=True
            )
        case StatusChange():
            return replace(state, status=event.status)
        case MeterLog():
            energy, ended = _session_energy(state, event.energy)
            return replace(
                state,
                voltage=event.voltage if event.voltage is not None else state.voltage,
                current=event.current if event.current is not None else state.current,
                power=event.power if event.power is not None else state.power,
                energy=energy,
                session_ended=ended,
            )
        case _:
            return state


def _activity(state: ChargerState) -> ChargerActivity | None:
    if state.wifi_connected is False:
        return ChargerActivity.OFFLINE
    if state.active is False:
        return ChargerActivity.BLOCKED
    if state.status is None:
        return None
    if state.status is ChargerStatus.ON and ((state.power or 0) > 0 or (state.current or 0) > 0):
        return ChargerActivity.CHARGING
    return ChargerActivity.AVAILABLE


def _access_mode(mode: str | None) -> AccessMode | None:
    try:
        return AccessMode(mode.strip().lower()) if mode is not None else None
    except ValueError:
        return None  # a mode this version does not know: shown as unknown


def charge_point(charger_id: str, state: ChargerState) -> ChargePointData:
    """The charger as the neutral model: one phase, measured power, per-session energy."""
    return ChargePointData(
        id=charger_id,
        name=f"{MANUFACTURER} {charger_id}",
        manufacturer=MANUFACTURER,
        activity=_activity(state),
        voltage=(state.voltage, None, None),
        current=(state.current, None, None),
        measured_power=state.power,
        session_energy=state.energy,
        charging_enabled=None if state.status is None else state.status is ChargerStatus.ON,
        wifi_connected=state.wifi_connected,
        last_connected=state.connected_at,
        access_mode=_access_mode(state.mode),
    )
