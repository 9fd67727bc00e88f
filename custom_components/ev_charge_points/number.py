"""The charge current limit: a live ceiling in amperes, for load balancers and solar surplus.

The brand's coordinator sets and reads it (`async_set_current_limit`, `current_limit`); the
maximum means no ceiling. The value is the one the device or server stored, never an
assumed one. (Blue Current keeps it as an override schedule the integration owns.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import Platform, UnitOfElectricCurrent
from homeassistant.exceptions import HomeAssistantError

from .const import DEFAULT_MAX_CURRENT, MIN_CHARGE_CURRENT
from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    async_setup_described_entities,
)
from .model import Capability

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .runtime import EVChargePointsConfigEntry

# One change at a time per number: each waits for the server's reply.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class EVNumberEntityDescription(NumberEntityDescription, EVEntityDescription):
    """A charge point number and the model fields its state reads."""


CURRENT_LIMIT_DESCRIPTION = EVNumberEntityDescription(
    key="charge_current_limit",
    translation_key="charge_current_limit",
    device_class=NumberDeviceClass.CURRENT,
    native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
    native_step=1,
    # A box shows the number and the whole name on the device page (a slider cuts both off).
    mode=NumberMode.BOX,
    capability=Capability.CURRENT_LIMIT,
    # Online and the point's maximum; the schedules are account data (they wake everybody).
    # current_limit: brands that keep the limit on the device publish it as a field.
    reads=("activity", "max_usage", "current_limit"),
)
NUMBERS: tuple[EVNumberEntityDescription, ...] = (CURRENT_LIMIT_DESCRIPTION,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the charge current limit of every charge point."""
    async_setup_described_entities(
        hass,
        entry,
        async_add_entities,
        platform=Platform.NUMBER,
        descriptions=NUMBERS,
        entity=ChargeCurrentLimitNumber,
    )


class ChargeCurrentLimitNumber(EVChargePointEntity, RestoreNumber):
    """The charge point's ceiling; the maximum means no ceiling."""

    _attr_native_min_value = MIN_CHARGE_CURRENT
    _requires_online = True

    @property
    def available(self) -> bool:
        """Return whether the point is online and its limit is known."""
        return super().available and self.coordinator.current_limit_known(self._evse_id)

    @property
    def native_max_value(self) -> float:
        """Return the charge point's own maximum (32 A until it is known)."""
        charge_point = self.charge_point
        if charge_point is None or not charge_point.max_usage:
            return DEFAULT_MAX_CURRENT
        return max(charge_point.max_usage, MIN_CHARGE_CURRENT)

    @property
    def native_value(self) -> float | None:
        """Return the limit the server has; the maximum when there is none."""
        limit = self.coordinator.current_limit(self._evse_id)
        if limit is not None or not self.coordinator.current_limit_known(self._evse_id):
            return limit
        return self.native_max_value

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.native_value, self.native_max_value)

    async def async_added_to_hass(self) -> None:
        """Take the last value back; the coordinator re-creates it if the server lost it."""
        await super().async_added_to_hass()
        data = await self.async_get_last_number_data()
        if data is None or data.native_value is None:
            return
        if data.native_value < self.native_max_value:
            self.coordinator.async_keep_current_limit(self._evse_id, data.native_value)

    async def async_set_native_value(self, value: float) -> None:
        """Set the ceiling; the maximum removes the integration's schedule."""
        limit = None if value >= self.native_max_value else value
        try:
            await self.coordinator.async_set_current_limit(self._evse_id, limit)
        except HomeAssistantError:
            # The control shows the refused number until told otherwise: the confirmed value.
            self.async_write_ha_state()
            raise
