"""Blue Current's capacity tariff (app API): a switch per charge point that has it, an action.

The setting caps the energy per quarter hour (`max_kwh`, 0.01-80 kWh as pybluecurrent
validates it) where a grid operator bills peak power. Only a charge point whose app charge
point list carries the setting with write permission offers it; the switch of one that does not
removes itself once the list is read, and is not created again at the next start (the account
memory keeps which points lack it). State comes from the list read back after each change
(never optimistic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.components.switch import SwitchEntity
from homeassistant.const import ATTR_DEVICE_ID, EntityCategory
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import entity_registry as er

from custom_components.ev_charge_points.const import DOMAIN
from custom_components.ev_charge_points.entity import EVChargePointEntity, EVEntityDescription
from custom_components.ev_charge_points.errors import validation_error
from custom_components.ev_charge_points.targets import resolve_charge_point

from .coordinator import BlueCurrentCoordinator

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from pybluecurrent import BlueCurrentClient as AppClient
    from pybluecurrent.models import CapacityTariff

SERVICE_SET_CAPACITY_TARIFF: Final = "set_capacity_tariff"
ATTR_ENABLED: Final = "enabled"
ATTR_MAX_ENERGY: Final = "max_energy"
MAX_ENERGY_MIN: Final = 0.01
MAX_ENERGY_MAX: Final = 80.0

SET_CAPACITY_TARIFF_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_ENABLED): cv.boolean,
        vol.Optional(ATTR_MAX_ENERGY): vol.All(
            vol.Coerce(float), vol.Range(min=MAX_ENERGY_MIN, max=MAX_ENERGY_MAX)
        ),
    }
)

DESCRIPTION: Final = EVEntityDescription(
    key="capacity_tariff",
    translation_key="capacity_tariff",
    entity_category=EntityCategory.CONFIG,
    # Nothing of the model: its state comes from the app API, which wakes it itself.
    reads=(),
)


def capacity_tariff(coordinator: BlueCurrentCoordinator, evse_id: str) -> CapacityTariff | None:
    """The setting as the app's charge point list shows it; None if unknown or absent."""
    points = coordinator.app_api.charge_points
    point = None if points is None else points.get(evse_id)
    tariff = None if point is None else point.get("capacity_tariff")
    return tariff if isinstance(tariff, dict) else None


def stored_max_energy(coordinator: BlueCurrentCoordinator, evse_id: str) -> float | None:
    """The maximum energy per quarter hour (kWh) the server stores; None if none."""
    tariff = capacity_tariff(coordinator, evse_id)
    stored = None if tariff is None else tariff.get("max_kwh")
    if isinstance(stored, bool) or not isinstance(stored, int | float) or stored <= 0:
        return None
    return float(stored)


def offers_capacity_tariff(coordinator: BlueCurrentCoordinator, evse_id: str) -> bool:
    """Whether the account may change the charge point's capacity tariff."""
    tariff = capacity_tariff(coordinator, evse_id)
    return tariff is not None and tariff.get("permission") == "write"


async def async_set_capacity_tariff(
    coordinator: BlueCurrentCoordinator,
    evse_id: str,
    name: str,
    *,
    enabled: bool,
    max_energy: float | None = None,
) -> None:
    """Validate, send through the app API, and read the charge point list back."""
    if not offers_capacity_tariff(coordinator, evse_id):
        raise validation_error("capacity_tariff_not_available", device=name)
    if not enabled and max_energy is not None:
        raise validation_error("capacity_tariff_max_energy_only_when_on")
    if enabled and max_energy is None:
        max_energy = stored_max_energy(coordinator, evse_id)
        if max_energy is None:
            raise validation_error("capacity_tariff_max_energy_required", device=name)
    api = coordinator.app_api

    async def _set(client: AppClient) -> None:
        await client.set_capacity_tariff(evse_id, enabled, max_energy if enabled else None)
        api.async_set_charge_points(await client.get_charge_points())

    await api.async_command(_set)


async def _async_set_capacity_tariff(call: ServiceCall) -> None:
    point = resolve_charge_point(call.hass, call.data[ATTR_DEVICE_ID])
    coordinator = point.coordinator
    if not isinstance(coordinator, BlueCurrentCoordinator):
        raise validation_error("action_not_supported", device=point.name)
    await async_set_capacity_tariff(
        coordinator,
        point.evse_id,
        point.name,
        enabled=call.data[ATTR_ENABLED],
        max_energy=call.data.get(ATTR_MAX_ENERGY),
    )


@callback
def async_setup_capacity_tariff_action(hass: HomeAssistant) -> None:
    """Register the capacity tariff action (once, with the brand's other actions)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_CAPACITY_TARIFF,
        _async_set_capacity_tariff,
        schema=SET_CAPACITY_TARIFF_SCHEMA,
    )


class CapacityTariffSwitch(EVChargePointEntity, SwitchEntity):
    """The capacity tariff on or off; switching on keeps the stored maximum energy."""

    coordinator: BlueCurrentCoordinator

    def __init__(self, coordinator: BlueCurrentCoordinator, evse_id: str) -> None:
        """A charge point's capacity tariff switch."""
        super().__init__(coordinator, evse_id, DESCRIPTION)

    async def async_added_to_hass(self) -> None:
        """Follow the app's charge point list as well."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.app_api.async_add_listener(self._app_update))
        self._app_update()

    @callback
    def _app_update(self) -> None:
        if self.coordinator.app_api.charge_points is not None and not offers_capacity_tariff(
            self.coordinator, self._evse_id
        ):
            # The account does not have the setting for this charge point: no entity.
            er.async_get(self.hass).async_remove(self.entity_id)
            return
        self._handle_update()

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.is_on, self.max_energy)

    @property
    def available(self) -> bool:
        """Available while connected and the app list says the point has the setting."""
        return super().available and offers_capacity_tariff(self.coordinator, self._evse_id)

    @property
    def is_on(self) -> bool | None:
        """Whether the capacity tariff is on."""
        tariff = capacity_tariff(self.coordinator, self._evse_id)
        value = None if tariff is None else tariff.get("value")
        return value if isinstance(value, bool) else None

    @property
    def max_energy(self) -> float | None:
        """The maximum energy per quarter hour (kWh) the server stores."""
        return stored_max_energy(self.coordinator, self._evse_id)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The stored maximum energy."""
        return {ATTR_MAX_ENERGY: self.max_energy}

    async def async_turn_on(self, **kwargs: Any) -> None:  # noqa: ARG002 - the entity API
        """Switch on with the stored maximum energy (the action sets another)."""
        await async_set_capacity_tariff(
            self.coordinator, self._evse_id, self.name_for_errors, enabled=True
        )

    async def async_turn_off(self, **kwargs: Any) -> None:  # noqa: ARG002 - the entity API
        """Switch off."""
        await async_set_capacity_tariff(
            self.coordinator, self._evse_id, self.name_for_errors, enabled=False
        )

    @property
    def name_for_errors(self) -> str:
        """The charge point's name, as the errors name it."""
        point = self.charge_point
        return (point.name if point is not None else None) or self._evse_id


def capacity_tariff_switches(coordinator: BlueCurrentCoordinator, evse_id: str) -> list[Any]:
    """The capacity tariff switch of a charge point (it removes itself where not offered).

    None for a point the last app list showed without the setting.
    """
    if evse_id in coordinator.memory.no_capacity_tariff:
        return []
    return [CapacityTariffSwitch(coordinator, evse_id)]


@callback
def async_track_capacity_tariff(
    hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: BlueCurrentCoordinator
) -> None:
    """Remember, with every app list read, which charge points lack the setting."""

    @callback
    def _read() -> None:
        points = coordinator.app_api.charge_points
        if points is None:
            return
        memory = coordinator.memory
        memory.remember_no_capacity_tariff(
            frozenset(e for e in points if not offers_capacity_tariff(coordinator, e))
        )
        entry.async_create_background_task(
            hass, memory.async_save(), f"{DOMAIN} remember capacity tariff"
        )

    coordinator.app_api.async_add_listener(_read)
