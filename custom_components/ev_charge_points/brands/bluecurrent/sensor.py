"""Blue Current's account sensors: CO2 saved, trees planted and the subscription (app API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfMass

from custom_components.ev_charge_points.entity import account_device_info

from .sessions import BlueCurrentSessionSource

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.typing import StateType

    from custom_components.ev_charge_points.coordinator import EVChargePointsCoordinator
    from custom_components.ev_charge_points.history import HistoryManager


def account_sensors(entry: ConfigEntry[Any]) -> list[Entity]:
    """The account figures the app API reads with the session history."""
    manager: HistoryManager | None = entry.runtime_data.history
    if manager is None or not isinstance(source := manager.source, BlueCurrentSessionSource):
        return []
    return [
        EVAccountSensor(entry.runtime_data.coordinator, manager, source, description)
        for description in ACCOUNT_SENSORS
    ]


@dataclass(frozen=True, kw_only=True)
class EVAccountSensorEntityDescription(SensorEntityDescription):
    """An account figure read by the session source."""

    value_fn: Callable[[BlueCurrentSessionSource], StateType]


# The subscription codes the REST API is known to send (§7: "BASIS"), as enum options; any
# other code (or contracts of different kinds) is "other", translated like the rest.
SUBSCRIPTIONS: dict[str, str] = {"BASIS": "basis"}
SUBSCRIPTION_OTHER = "other"


def _subscription(source: BlueCurrentSessionSource) -> str | None:
    if (figures := source.figures) is None or not figures.subscriptions:
        return None
    codes = figures.subscriptions
    code = codes[0] if len(codes) == 1 else ""
    return SUBSCRIPTIONS.get(code, SUBSCRIPTION_OTHER)


ACCOUNT_SENSORS: tuple[EVAccountSensorEntityDescription, ...] = (
    EVAccountSensorEntityDescription(
        key="co2_saved",
        translation_key="co2_saved",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.TOTAL_INCREASING,
        # The unit is not documented (§3.6): kilograms, as the app shows it (inferred).
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        suggested_display_precision=1,
        value_fn=lambda m: None if m.figures is None else m.figures.co2,
    ),
    EVAccountSensorEntityDescription(
        key="trees_planted",
        translation_key="trees_planted",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda m: None if m.figures is None else m.figures.trees,
    ),
    EVAccountSensorEntityDescription(
        key="subscription",
        translation_key="subscription",
        device_class=SensorDeviceClass.ENUM,
        options=[*SUBSCRIPTIONS.values(), SUBSCRIPTION_OTHER],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_subscription,
    ),
)


class EVAccountSensor(SensorEntity):
    """A figure of the whole account, on the account device.

    Available with the connection, like every entity of the account; unknown until the
    history module has read the figure.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    entity_description: EVAccountSensorEntityDescription

    def __init__(
        self,
        coordinator: EVChargePointsCoordinator[Any],
        manager: HistoryManager,
        source: BlueCurrentSessionSource,
        description: EVAccountSensorEntityDescription,
    ) -> None:
        """Set up the sensor."""
        self.entity_description = description
        self._coordinator = coordinator
        self._manager = manager
        self._source = source
        self._attr_unique_id = f"{coordinator.customer_id}_{description.key}"
        self._attr_device_info = account_device_info(coordinator)

    async def async_added_to_hass(self) -> None:
        """Follow the connection state and the history imports, which read the figures."""
        await super().async_added_to_hass()
        self.async_on_remove(self._coordinator.async_add_listener(self.async_write_ha_state))
        self.async_on_remove(self._manager.async_add_listener(self.async_write_ha_state))

    @property
    def available(self) -> bool:
        """Available while the account is connected (with the coordinator's grace period)."""
        return self._coordinator.connected

    @property
    def native_value(self) -> StateType:
        """The figure."""
        return self.entity_description.value_fn(self._source)
