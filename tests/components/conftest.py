"""Fixtures for the Home Assistant integration tests."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import PropertyMock, patch

import pytest

from custom_components.ev_charge_points import push as push_module
from custom_components.ev_charge_points.push import backoff_delay
from simulators.bluecurrent import SimClock

from .helpers import START

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/ev_charge_points."""


@pytest.fixture
def simulator_clock() -> SimClock:
    """Start the simulator at a fixed instant, so sessions and meters are deterministic."""
    return SimClock(START)


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
def delays() -> Iterator[list[float]]:
    """Make every reconnect wait the upper bound of the backoff, and record the delays."""
    recorded: list[float] = []

    def upper_bound(attempt: int) -> float:
        delay = backoff_delay(attempt, uniform=lambda _low, high: high)
        recorded.append(delay)
        return delay

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(push_module, "backoff_delay", upper_bound)
        yield recorded
