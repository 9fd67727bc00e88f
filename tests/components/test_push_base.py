"""The push base with a brand whose server closes the socket when a charger is switched off.

A minimal in-memory push brand (as veCharge will be): while its charger is on, a session
publishes it and stays open; switching the charger off makes the server close the socket on
purpose. That is "off", not an outage: entities stay available past the grace period. An
unexpected drop still makes them unavailable after it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.ev_charge_points.const import DOMAIN, UNAVAILABLE_GRACE_PERIOD
from custom_components.ev_charge_points.model import Capability, ChargePointData, ChargerActivity
from custom_components.ev_charge_points.push import PushCoordinator
from custom_components.ev_charge_points.registry import CONF_BRAND, Brand, register_brand

if TYPE_CHECKING:
    from collections.abc import Iterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

BRAND_KEY = "pushtest"
SECOND = timedelta(seconds=1)


class ClosedBecauseOffError(Exception):
    """The server closed the socket: the charger was switched off."""


class LinkLostError(Exception):
    """The connection broke."""


class Charger:
    """A charger behind a push server; `end` ends the open session the given way."""

    def __init__(self) -> None:
        """Start switched on and reachable."""
        self.on = True
        self.reachable = True
        self.ended: asyncio.Future[Exception] | None = None

    def end(self, reason: Exception) -> None:
        assert self.ended is not None
        self.ended.set_result(reason)


class PushTestCoordinator(PushCoordinator[Charger]):
    brand_name: ClassVar[str] = "Push test"
    client_errors: ClassVar[tuple[type[Exception], ...]] = (LinkLostError,)

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002
        return frozenset({Capability.STATUS, Capability.CHARGING_SWITCH})

    def _publish(self) -> None:
        self._async_publish_charge_point(
            ChargePointData(
                id="PT-1",
                name="Porch",
                manufacturer="Push test",
                activity=ChargerActivity.AVAILABLE,
                charging_enabled=self.client.on,
            ),
            has_status=True,
        )

    async def _async_session(self) -> None:
        charger = self.client
        if not charger.reachable:
            raise LinkLostError
        self._publish()
        if not charger.on:
            raise ClosedBecauseOffError  # the server closes the socket of a charger that is off
        charger.ended = asyncio.get_running_loop().create_future()
        self._delivered_in_session = True
        self._async_set_link_up()
        try:
            reason = await charger.ended
        finally:
            self._async_set_link_down()
        if isinstance(reason, ClosedBecauseOffError):
            charger.on = False
            self._publish()
        raise reason

    def _closed_on_purpose(self, error: Exception) -> bool:
        return isinstance(error, ClosedBecauseOffError)


@pytest.fixture
def charger() -> Charger:
    return Charger()


@pytest.fixture(autouse=True)
def push_brand(charger: Charger) -> Iterator[None]:
    def create(hass: HomeAssistant, entry: ConfigEntry[Any]) -> PushTestCoordinator:
        return PushTestCoordinator(hass, entry, charger)

    unregister = register_brand(Brand(key=BRAND_KEY, name="Push test", create_coordinator=create))
    yield
    unregister()


async def set_up(hass: HomeAssistant) -> str:
    entry = MockConfigEntry(
        domain=DOMAIN, version=2, unique_id="push-account", data={CONF_BRAND: BRAND_KEY}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    switch = er.async_get(hass).async_get_entity_id("switch", DOMAIN, "push-account_PT-1_charging")
    assert switch is not None
    return switch


def later(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    freezer.tick(delta)
    async_fire_time_changed(hass, dt_util.utcnow())


async def test_a_socket_closed_because_the_charger_is_off_shows_off(
    hass: HomeAssistant, charger: Charger, freezer: FrozenDateTimeFactory
) -> None:
    """Off, and still available long after the grace period."""
    switch = await set_up(hass)
    assert hass.states.get(switch).state == STATE_ON

    charger.end(ClosedBecauseOffError())
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == STATE_OFF

    later(hass, freezer, UNAVAILABLE_GRACE_PERIOD + SECOND)
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == STATE_OFF


async def test_a_charger_that_is_off_at_setup_sets_up_as_off(
    hass: HomeAssistant, charger: Charger
) -> None:
    """The closed socket does not fail setup."""
    charger.on = False
    switch = await set_up(hass)
    assert hass.states.get(switch).state == STATE_OFF


async def test_an_unexpected_drop_is_an_outage_after_the_grace_period(
    hass: HomeAssistant, charger: Charger, freezer: FrozenDateTimeFactory
) -> None:
    """The same base: available within the grace period, unavailable after it."""
    switch = await set_up(hass)
    charger.reachable = False
    charger.end(LinkLostError())
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == STATE_ON

    later(hass, freezer, UNAVAILABLE_GRACE_PERIOD + SECOND)
    await hass.async_block_till_done()
    assert hass.states.get(switch).state == STATE_UNAVAILABLE
