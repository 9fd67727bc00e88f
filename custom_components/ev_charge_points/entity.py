"""Base entities: one device per charge point, one device per grid."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from homeassistant.const import Platform
    from homeassistant.core import HomeAssistant

    from .coordinator import EVChargePointsCoordinator
    from .model import Capability, ChargePointData, GridData
    from .runtime import EVChargePointsConfigEntry

    type AnyCoordinator = EVChargePointsCoordinator[Any]


@dataclass(frozen=True, kw_only=True)
class EVEntityDescription(EntityDescription):
    """An entity description that names the model fields the entity's state reads.

    `reads`: fields of `ChargePointData` (or `GridData` for grid entities), derived values
    by the fields they come from (power: voltage and current). A push wakes the entity only
    when one of them changed. None, the default, wakes it on any change. Availability
    (connection, grace period, the point leaving) and account data outside the model
    (cards, schedules) wake every entity regardless.
    """

    reads: tuple[str, ...] | None = None
    # What the charge point must be able to do for the entity to exist (None: always).
    capability: Capability | None = None


def supported[D: EVEntityDescription](
    coordinator: AnyCoordinator, evse_id: str, descriptions: Iterable[D]
) -> list[D]:
    """The descriptions whose capability the charge point has."""
    return [
        description
        for description in descriptions
        if coordinator.supports(evse_id, description.capability)
    ]


@callback
def async_register_grid_devices(
    hass: HomeAssistant, entry: EVChargePointsConfigEntry, grid_ids: Iterable[str]
) -> None:
    """Create the grid devices before any charge point refers to them through via_device.

    Platforms are set up concurrently, so the grid sensors may not have created their
    device yet when another platform adds a charge point entity.
    """
    registry = dr.async_get(hass)
    coordinator = entry.runtime_data.coordinator
    for grid_id in grid_ids:
        registry.async_get_or_create(
            config_entry_id=entry.entry_id, **grid_device_info(coordinator, grid_id)
        )


# The device list shows a model for every device ("<unknown>" otherwise); Home Assistant does
# not translate models, so these are the plain English kinds of device.
GRID_MODEL = "Grid connection"
ACCOUNT_MODEL = "Cloud account"


def grid_device_info(coordinator: AnyCoordinator, grid_id: str) -> DeviceInfo:
    """The device of a grid (building connection), named "Grid <id>" in the user's language."""
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.grid_device_identifier(grid_id))},
        manufacturer=coordinator.manufacturer,
        model=GRID_MODEL,
        translation_key="grid",
        translation_placeholders={"grid": coordinator.grid_label(grid_id)},
    )


def account_device_info(coordinator: AnyCoordinator) -> DeviceInfo:
    """The device that holds the figures of the whole account (a cloud service)."""
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.account_device_identifier)},
        manufacturer=coordinator.manufacturer,
        model=ACCOUNT_MODEL,
        translation_key="account",
        entry_type=dr.DeviceEntryType.SERVICE,
    )


@callback
def async_setup_charge_point_entities(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    create: Callable[[str], Iterable[Entity]],
    add_entities: Callable[[Iterable[Entity]], None],
    *,
    platform: Platform | None = None,
) -> None:
    """Add the entities of every known charge point, and of every charge point announced later.

    With `platform`, the brand's own entities of that platform are added after `create`'s.
    """
    coordinator = entry.runtime_data.coordinator
    brand_create = entry.runtime_data.brand.entities.get(platform) if platform else None
    added: set[str] = set()

    @callback
    def _add(evse_ids: Iterable[str]) -> None:
        new = [
            evse_id
            for evse_id in sorted(evse_ids)
            if evse_id not in added and evse_id in coordinator.data.charge_points
        ]
        if not new:
            return
        added.update(new)
        async_register_grid_devices(
            hass,
            entry,
            {
                grid_id
                for evse_id in new
                if (grid_id := coordinator.data.charge_points[evse_id].grid_id) is not None
            },
        )
        entities: list[Entity] = []
        for evse_id in new:
            created = list(create(evse_id))
            if brand_create is not None:
                created.extend(brand_create(coordinator, evse_id))
            for entity in created:
                # A charge point that leaves the account loses its device and entities;
                # should it come back, it is announced again and needs new ones.
                entity.async_on_remove(partial(added.discard, evse_id))
                entities.append(entity)
        add_entities(entities)

    _add(coordinator.data.charge_points)
    entry.async_on_unload(coordinator.async_add_new_charge_points_listener(_add))


@callback
def async_setup_described_entities[D: EVEntityDescription](
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    add_entities: Callable[[Iterable[Entity]], None],
    *,
    platform: Platform,
    descriptions: Iterable[D],
    entity: Callable[[AnyCoordinator, str, D], Entity],
) -> None:
    """A platform's setup: one `entity` per description the charge point supports, per point.

    The brand's own entities of `platform` follow (see `async_setup_charge_point_entities`).
    """
    coordinator = entry.runtime_data.coordinator
    described = tuple(descriptions)

    def _create(evse_id: str) -> list[Entity]:
        return [
            entity(coordinator, evse_id, description)
            for description in supported(coordinator, evse_id, described)
        ]

    async_setup_charge_point_entities(hass, entry, _create, add_entities, platform=platform)


class _EVKeyedEntity(Entity):
    """An entity woken only by pushes for its own charge point or grid.

    Woken only when a field its description `reads` changed, and even then the state is
    written only when what the user sees (availability, value, attributes) changed.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, coordinator: AnyCoordinator, key: str, description: EVEntityDescription
    ) -> None:
        """Store the coordinator, the charge point or grid id and what the entity reads."""
        self.coordinator = coordinator
        self.entity_description = description
        self._listen_key = key
        self._reads = None if description.reads is None else frozenset(description.reads)
        self._capability = description.capability
        self._last_visible: tuple[object, ...] | None = None

    @property
    def _coordinator_available(self) -> bool:
        """Return whether the account connection is up (the coordinator applies a grace period)."""
        return self.coordinator.connected

    def _visible_state(self) -> tuple[object, ...]:
        """Return everything that ends up in the state machine; subclasses extend it."""
        return (self.available,)

    async def async_added_to_hass(self) -> None:
        """Subscribe to updates for this entity's charge point or grid."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_key_listener(
                self._listen_key, self._handle_update, reads=self._reads
            )
        )
        # The platform writes the first state right after this returns.
        self._last_visible = self._visible_state()

    @callback
    def _handle_update(self) -> None:
        """Write the state if what the user sees changed."""
        visible = self._visible_state()
        if visible == self._last_visible:
            return
        self._last_visible = visible
        self.async_write_ha_state()


class EVChargePointEntity(_EVKeyedEntity):
    """An entity on a charge point device."""

    # A control that takes its command only while the charge point is online: unavailable
    # while it is offline.
    _requires_online: ClassVar[bool] = False

    def __init__(
        self,
        coordinator: AnyCoordinator,
        evse_id: str,
        description: EVEntityDescription,
    ) -> None:
        """Set up the identity and device of a charge point entity."""
        super().__init__(coordinator, evse_id, description)
        self._evse_id = evse_id
        self._attr_unique_id = f"{coordinator.customer_id}_{evse_id}_{description.key}"
        charge_point = coordinator.data.charge_points[evse_id]
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, evse_id)},
            manufacturer=charge_point.manufacturer,
            model=charge_point.model,
            serial_number=evse_id,
            name=charge_point.name or evse_id,
        )
        if charge_point.firmware_version is not None:
            self._attr_device_info["sw_version"] = charge_point.firmware_version
        if charge_point.configuration_url is not None:
            self._attr_device_info["configuration_url"] = charge_point.configuration_url
        if charge_point.grid_id is not None:
            # Grid ids are only unique within an account: the coordinator scopes them.
            self._attr_device_info["via_device"] = (
                DOMAIN,
                coordinator.grid_device_identifier(charge_point.grid_id),
            )

    @property
    def charge_point(self) -> ChargePointData | None:
        """Return the charge point's data, None once it left the account."""
        return self.coordinator.data.charge_points.get(self._evse_id)

    @property
    def available(self) -> bool:
        """Return whether the connection is up and the charge point is known (and online)."""
        coordinator = self.coordinator
        # Read on every state write: plain attribute reads, no property chain.
        return (
            coordinator.connected
            and (charge_point := coordinator.data.charge_points.get(self._evse_id)) is not None
            and (charge_point.online or not self._requires_online)
            # a control the server refused for this point since setup
            and coordinator.supports(self._evse_id, self._capability)
        )


class EVGridEntity(_EVKeyedEntity):
    """An entity on a grid (building connection) device."""

    def __init__(
        self,
        coordinator: AnyCoordinator,
        grid_id: str,
        description: EVEntityDescription,
    ) -> None:
        """Set up the identity and device of a grid entity."""
        super().__init__(coordinator, grid_id, description)
        self._grid_id = grid_id
        self._attr_unique_id = f"{coordinator.customer_id}_{grid_id}_{description.key}"
        self._attr_device_info = grid_device_info(coordinator, grid_id)

    @property
    def grid(self) -> GridData | None:
        """Return the grid's data, None when the account no longer has it."""
        return self.coordinator.data.grids.get(self._grid_id)

    @property
    def available(self) -> bool:
        """Return whether the connection is up and the grid is known."""
        return self._coordinator_available and self.grid is not None
