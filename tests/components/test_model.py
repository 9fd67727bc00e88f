"""Phase maths of the neutral model: the one place every brand's figures are derived."""

from __future__ import annotations

import pytest

from custom_components.ev_charge_points.model import ChargePointData, GridData


def point(
    voltage: tuple[float | None, float | None, float | None] = (None, None, None),
    current: tuple[float | None, float | None, float | None] = (None, None, None),
) -> ChargePointData:
    return ChargePointData(
        id="CP1", name="CP1", manufacturer="Test", voltage=voltage, current=current
    )


def test_averages_skip_unused_phases() -> None:
    """Averages leave out 0 and unknown phases and round to 1 dp (a one-phase car)."""
    assert point(current=(10, 6, 10)).average_current == 8.7
    assert point(current=(10, 0, 20)).average_current == 15.0
    assert point().average_current is None
    assert point(current=(0, 0, 0)).average_current == 0.0


def test_power_is_the_sum_over_phases() -> None:
    """V x I summed over the phases where both are known; unknown without any."""
    three = point(voltage=(229, 231, 230), current=(16, 16, 16))
    assert three.power == pytest.approx(16 * (229 + 231 + 230))
    assert three.average_voltage == 230.0
    one = point(voltage=(230, 0, 0), current=(16, 0, None))
    assert one.power == pytest.approx(3680.0)
    assert one.average_voltage == 230.0
    assert point(voltage=(230, None, None)).power is None
    assert point().power is None
    assert point().average_voltage is None


def test_grid_figures() -> None:
    """The grid's mean over loaded phases, its busiest phase and the total."""
    grid = GridData(id="G1", current=(12.0, 14.0, 15.0))
    assert grid.average_current == 13.7
    assert grid.max_current == 15
    assert grid.total_current == 41.0
    assert GridData(id="G2").max_current is None
