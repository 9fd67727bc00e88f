"""A brand added from outside the shared core: the test-only in-memory brand (testbrand/).

It registers through the public registry, is set up through the real config flow and the
real platforms, and gets only the entities and actions its capabilities allow. The device is
an in-memory client (no protocol to simulate: it stands for any brand's client).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.data_entry_flow import FlowResultType, UnknownStep
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.ev_charge_points.const import DOMAIN, UNAVAILABLE_GRACE_PERIOD
from custom_components.ev_charge_points.registry import CONF_BRAND, register_brand

from .testbrand.brand import BRAND_KEY, POLL_INTERVAL, make_brand
from .testbrand.client import InMemoryClient, InMemoryPoint

# Home Assistant schedules a poll a few microseconds after its interval: step past it.
SECOND = timedelta(seconds=1)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator


@pytest.fixture
def device() -> InMemoryClient:
    """Two charge points: one charging, one idle with charging stopped."""
    return InMemoryClient(
        [
            InMemoryPoint(
                "TB-1", "Shed", car_charging=True, firmware="59.4", address="192.168.1.20"
            ),
            InMemoryPoint("TB-2", "Barn", charging_allowed=False),
        ]
    )


@pytest.fixture(autouse=True)
def test_brand(device: InMemoryClient) -> Iterator[None]:
    """Register the brand for one test."""
    unregister = register_brand(make_brand(device))
    yield
    unregister()


async def add_through_the_config_flow(hass: HomeAssistant) -> ConfigEntry:
    """Choose the test brand in the brand menu and finish its step."""
    menu = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["bluecurrent", "goe", "vecharge", BRAND_KEY]
    form = await hass.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": BRAND_KEY}
    )
    assert form["type"] is FlowResultType.FORM
    done = await hass.config_entries.flow.async_configure(form["flow_id"], {})
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is ConfigEntryState.LOADED
    return entry


def entity_id(hass: HomeAssistant, domain: str, evse_id: str, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"test-account_{evse_id}_{key}")
    assert found is not None
    return found


async def test_only_the_entities_its_capabilities_allow(hass: HomeAssistant) -> None:
    """Status and charging on/off: nothing for metering, sessions, cards, limits, history."""
    entry = await add_through_the_config_flow(hass)

    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    per_point = {
        evse_id: sorted(
            (item.domain, item.translation_key)
            for item in entries
            if item.unique_id.startswith(f"test-account_{evse_id}_")
        )
        for evse_id in ("TB-1", "TB-2")
    }
    expected = [
        ("binary_sensor", "charging"),
        ("binary_sensor", "online"),
        ("sensor", "activity"),
        ("switch", "charging"),
    ]
    assert per_point == {"TB-1": expected, "TB-2": expected}
    assert len(entries) == 2 * len(expected)  # no account, grid or calendar entities
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert sorted(
        (device.name, device.manufacturer, device.sw_version, device.configuration_url)
        for device in devices
    ) == [
        ("Barn", "Test brand", None, None),  # the data has neither: none shown
        ("Shed", "Test brand", "59.4", "http://192.168.1.20"),
    ]


async def test_charging_switch_goes_through_the_neutral_command(
    hass: HomeAssistant, device: InMemoryClient
) -> None:
    """The switch calls the brand's async_set_charging; the confirming read sets its state."""
    await add_through_the_config_flow(hass)
    shed_switch = entity_id(hass, "switch", "TB-1", "charging")
    shed_charging = entity_id(hass, "binary_sensor", "TB-1", "charging")
    barn_switch = entity_id(hass, "switch", "TB-2", "charging")
    assert hass.states.get(shed_switch).state == STATE_ON
    assert hass.states.get(shed_charging).state == STATE_ON
    assert hass.states.get(barn_switch).state == STATE_OFF

    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: shed_switch}, blocking=True
    )

    assert device.writes == [("TB-1", False)]
    assert hass.states.get(shed_switch).state == STATE_OFF
    assert hass.states.get(shed_charging).state == STATE_OFF
    assert hass.states.get(barn_switch).state == STATE_OFF


async def test_actions_it_does_not_offer_are_refused(hass: HomeAssistant) -> None:
    """A neutral command it lacks: not supported; another brand's action: validation error."""
    await add_through_the_config_flow(hass)
    device_id = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "TB-1")}).id

    with pytest.raises(HomeAssistantError) as refused:
        await hass.services.async_call(
            DOMAIN, "stop_charge_session", {"device_id": device_id}, blocking=True
        )
    assert refused.value.translation_key == "not_supported"

    with pytest.raises(ServiceValidationError) as invalid:
        await hass.services.async_call(DOMAIN, "boost", {"device_id": device_id}, blocking=True)
    assert invalid.value.translation_key == "action_not_supported"


async def test_a_failed_poll_uses_the_same_grace_period_as_a_dropped_push(
    hass: HomeAssistant, device: InMemoryClient, freezer: FrozenDateTimeFactory
) -> None:
    """Unreachable: still available within the grace period, unavailable after, back after."""
    await add_through_the_config_flow(hass)
    shed_switch = entity_id(hass, "switch", "TB-1", "charging")

    device.reachable = False
    freezer.tick(POLL_INTERVAL + SECOND)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    assert hass.states.get(shed_switch).state == STATE_ON

    freezer.tick(UNAVAILABLE_GRACE_PERIOD + SECOND)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    assert hass.states.get(shed_switch).state == STATE_UNAVAILABLE

    device.reachable = True
    freezer.tick(POLL_INTERVAL + SECOND)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()
    assert hass.states.get(shed_switch).state == STATE_ON


async def test_diagnostics_of_the_new_brand(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The neutral diagnostics describe its charge points; no history, no client counters."""
    entry = await add_through_the_config_flow(hass)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["entry"]["data"] == {"brand": BRAND_KEY}
    assert diagnostics["connection"] == {"connected": True, "link_up": True, "reconnects": 0}
    assert sorted(diagnostics["charge_points"]) == ["TB-1", "TB-2"]
    shed = diagnostics["charge_points"]["TB-1"]
    assert shed["model"]["charging_enabled"] is True
    assert shed["derived"]["charging"] is True
    assert shed["client"] is None
    assert "history" not in diagnostics


async def test_no_configure_button_without_options(hass: HomeAssistant) -> None:
    """A brand without options: the entry offers no "Configure"; Blue Current's does."""
    entry = await add_through_the_config_flow(hass)
    assert entry.supports_options is False

    blue_current = MockConfigEntry(domain=DOMAIN, data={CONF_BRAND: "bluecurrent"}, version=2)
    blue_current.add_to_hass(hass)
    assert blue_current.supports_options is True


async def test_a_step_no_brand_has_is_refused(hass: HomeAssistant) -> None:
    """A flow source no brand offers is an unknown step, not a crash."""
    with pytest.raises(UnknownStep):
        await hass.config_entries.flow.async_init(DOMAIN, context={"source": "no_such_step"})
