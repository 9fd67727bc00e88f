"""Fixtures of the veCharge brand tests: the test charger set up; the meter follows its clock."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState

from tests.components.helpers import setup_entry

from .helpers import make_entry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.vecharge import VeChargeSimulator


@pytest.fixture(autouse=True)
def meter_clock_follows_the_simulator(vecharge_sim: VeChargeSimulator) -> Iterator[None]:
    """The lifetime meter sees each frame at the simulator's time (it bounds each step by
    the time between frames; Home Assistant's own clock does not follow the simulator)."""
    clock = vecharge_sim.clock.now
    with patch("custom_components.ev_charge_points.coordinator._frame_time", clock):
        yield


@pytest.fixture
async def entry(hass: HomeAssistant, vecharge_sim: VeChargeSimulator) -> MockConfigEntry:
    """The test charger, set up."""
    entry = make_entry(vecharge_sim)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    return entry
