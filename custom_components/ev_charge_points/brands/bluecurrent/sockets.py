"""Blue Current charge points with more than one socket: a status sensor per socket.

One device per charge point, entities per socket: Blue Current addresses the charge point,
not the socket, for pushes, sessions, cards, schedules and smart charging, so everything but
the socket's own status belongs to the charge point. The per-socket status comes from the app
API (REST v2.1 `chargepointstatus` through pybluecurrent), read with the app's charge point
list at each history import and by *Unlock connector*; no extra polling. The sensors exist
only where that status names more than one socket, and appear once it was first read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.entity_platform import async_get_platforms

from custom_components.ev_charge_points.const import DOMAIN
from custom_components.ev_charge_points.entity import EVChargePointEntity, EVEntityDescription
from custom_components.ev_charge_points.model import ChargerActivity, VehicleState

from .app_api import PLUGGED
from .mapping import _ACTIVITIES

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from pybluecurrent.models import ChargePointStatus

    from .coordinator import BlueCurrentCoordinator

# The charge point's activity words, and "vehicle detected" (the vehicle status sensor's word)
# for a socket that is available with a car on its cable.
SOCKET_STATES: Final = [
    *(activity.value for activity in ChargerActivity),
    VehicleState.VEHICLE_DETECTED.value,
]
# The wire's activity words -> the charge point's activity (as its own sensor maps them).
_BY_WORD: Final[dict[str, ChargerActivity]] = {
    str(word): activity for word, activity in _ACTIVITIES.items()
}


def socket_state(status: ChargePointStatus) -> str | None:
    """A socket's state: its activity, or "vehicle_detected" for an idle one with a car."""
    activity = _BY_WORD.get(str(status.get("activity")).lower())
    if activity is None:
        return None
    if activity is ChargerActivity.AVAILABLE and status.get("vehicle_status") in PLUGGED:
        return VehicleState.VEHICLE_DETECTED.value
    return activity.value


@dataclass(frozen=True, kw_only=True)
class SocketSensorEntityDescription(SensorEntityDescription, EVEntityDescription):
    """A sensor of one socket (its state comes from the app API, not the model)."""


def socket_description(socket_id: int) -> SocketSensorEntityDescription:
    """The "Socket N status" sensor of one socket."""
    return SocketSensorEntityDescription(
        key=f"socket_{socket_id}_status",
        translation_key="socket_status",
        device_class=SensorDeviceClass.ENUM,
        options=SOCKET_STATES,
        # Nothing of the model: the app API's listeners wake it.
        reads=(),
    )


class SocketStatusSensor(EVChargePointEntity, SensorEntity):
    """The status of one socket of a charge point with several, on the charge point's device."""

    coordinator: BlueCurrentCoordinator
    entity_description: SocketSensorEntityDescription

    def __init__(self, coordinator: BlueCurrentCoordinator, evse_id: str, socket_id: int) -> None:
        """A socket's status sensor."""
        super().__init__(coordinator, evse_id, socket_description(socket_id))
        self._socket_id = socket_id
        self._attr_translation_placeholders = {"socket": str(socket_id)}

    async def async_added_to_hass(self) -> None:
        """Follow the app API's reads as well."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.app_api.async_add_listener(self._handle_update))

    @property
    def status(self) -> ChargePointStatus | None:
        """The socket's status as last read; None when the last read did not list it."""
        statuses = self.coordinator.app_api.socket_statuses.get(self._evse_id, ())
        return next((s for s in statuses if s.get("socket_id") == self._socket_id), None)

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value)

    @property
    def available(self) -> bool:
        """Available while connected and the last read listed the socket."""
        return super().available and self.status is not None

    @property
    def native_value(self) -> str | None:
        """The socket's state."""
        status = self.status
        return None if status is None else socket_state(status)


def several_sockets(statuses: list[ChargePointStatus]) -> list[int]:
    """The socket ids of a status list that names more than one socket; else none."""
    ids = sorted({s["socket_id"] for s in statuses if isinstance(s.get("socket_id"), int)})
    return ids if len(ids) > 1 else []


@callback
def async_track_socket_sensors(
    hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: BlueCurrentCoordinator
) -> None:
    """Add a socket's sensor to the entry's sensor platform once a read shows the socket."""
    added: set[tuple[str, int]] = set()
    api = coordinator.app_api

    @callback
    def _add() -> None:
        platform = next(
            (
                p
                for p in async_get_platforms(hass, DOMAIN)
                if p.domain == Platform.SENSOR
                and p.config_entry is not None
                and p.config_entry.entry_id == entry.entry_id
            ),
            None,
        )
        if platform is None:  # not set up (yet): the next read adds them
            return
        new: list[Entity] = []
        for evse_id, statuses in api.socket_statuses.items():
            if evse_id not in coordinator.data.charge_points:
                continue
            for socket_id in several_sockets(statuses):
                if (evse_id, socket_id) in added:
                    continue
                added.add((evse_id, socket_id))
                sensor = SocketStatusSensor(coordinator, evse_id, socket_id)
                # A charge point that leaves loses its entities; if it returns, add again.
                sensor.async_on_remove(partial(added.discard, (evse_id, socket_id)))
                new.append(sensor)
        if new:
            entry.async_create_task(hass, platform.async_add_entities(new))

    api.async_add_listener(_add)
