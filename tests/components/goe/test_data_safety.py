"""What a user trusts: the lifetime meter never goes down; the cloud key never leaks."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

import pytest
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.ev_charge_points.brands.goe.const import LIVE_INTERVAL
from custom_components.ev_charge_points.const import DOMAIN
from tests.simulators.goe.helpers import CHARGER

from .conftest import CLOUD_KEY, add_cloud, add_local, goe_coordinator

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from simulators.goe import GoeSimulator


async def test_lifetime_energy_never_goes_down(
    hass: HomeAssistant, goe_sim: GoeSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A lower `eto` (a glitch, a reset device) is held until the meter passes the old value."""
    entry = await add_local(hass, goe_sim)
    coordinator = goe_coordinator(entry)
    sensor = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{CHARGER}_{CHARGER}_lifetime_energy"
    )
    assert sensor is not None
    charger = goe_sim.charger(CHARGER)
    shown = float(hass.states.get(sensor).state)  # type: ignore[union-attr]

    async def meter_read(lifetime_wh: float) -> float:
        charger.lifetime_wh = lifetime_wh
        freezer.tick(LIVE_INTERVAL)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        return float(hass.states.get(sensor).state)  # type: ignore[union-attr]

    assert await meter_read(1000) == shown
    assert await meter_read(shown * 1000 + 500) == pytest.approx(shown + 0.5)


@pytest.mark.usefixtures("goe_cloud")
async def test_the_cloud_key_stays_secret(
    hass: HomeAssistant,
    goe_sim: GoeSimulator,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not in the title, the diagnostics or the debug log (a Bearer header, never the URL)."""
    caplog.set_level(logging.DEBUG)
    entry = await add_cloud(hass)
    await goe_coordinator(entry).async_refresh()

    diagnostics = json.dumps(await get_diagnostics_for_config_entry(hass, hass_client, entry))
    assert CLOUD_KEY not in diagnostics
    assert CLOUD_KEY not in entry.title
    assert CLOUD_KEY not in caplog.text
    assert not any(CLOUD_KEY in line for line in goe_sim.request_log)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert all(CLOUD_KEY not in (device.name or "") for device in devices)
