"""Fixtures of the veCharge brand tests (the simulator: tests/simulators/vecharge/fixtures.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from simulators.vecharge import VeChargeSimulator


@pytest.fixture(autouse=True)
def meter_clock_follows_the_simulator(vecharge_sim: VeChargeSimulator) -> Iterator[None]:
    """The lifetime meter sees each frame at the simulator's time (it bounds each step by
    the time between frames; Home Assistant's own clock does not follow the simulator)."""
    with patch("custom_components.ev_charge_points.sensor._frame_time", vecharge_sim.clock.now):
        yield
