"""An event per charge point when a charging session ends, with what it brought."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import Platform
from homeassistant.core import callback

from .entity import (
    EVChargePointEntity,
    EVEntityDescription,
    async_setup_described_entities,
)
from .events import EVENT_SESSION_ENDED
from .model import Capability

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .runtime import EVChargePointsConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class EVEventEntityDescription(EventEntityDescription, EVEntityDescription):
    """A charge point event entity and the model fields its state reads."""


SESSION_DESCRIPTION = EVEventEntityDescription(
    key="session",
    translation_key="session",
    capability=Capability.SESSIONS,
    event_types=[EVENT_SESSION_ENDED],
    # Its state is the last event (written when it fires) and availability.
    reads=(),
)
EVENTS: tuple[EVEventEntityDescription, ...] = (SESSION_DESCRIPTION,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the session event of every charge point."""
    async_setup_described_entities(
        hass,
        entry,
        async_add_entities,
        platform=Platform.EVENT,
        descriptions=EVENTS,
        entity=SessionEvent,
    )


class SessionEvent(EVChargePointEntity, EventEntity):
    """Fires "session_ended" with energy (kWh), cost, duration (s), start, stop and card."""

    async def async_added_to_hass(self) -> None:
        """Listen to the charge point's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_point_event_listener(self._evse_id, self._on_event)
        )

    @callback
    def _on_event(self, kind: str, data: dict[str, Any]) -> None:
        if kind not in self.event_types:
            return
        self._trigger_event(kind, data)
        self.async_write_ha_state()
