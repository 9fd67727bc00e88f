"""Diagnostics of the account and of a device: complete, and without secrets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from syrupy.filters import props

from custom_components.ev_charge_points.const import DOMAIN

from .helpers import CUSTOMER_ID, EMAIL, START, TOKEN, make_entry, setup_entry

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

    from simulators.bluecurrent import BlueCurrentSimulator


# Personal data of the test scenario that must never appear in diagnostics.
SECRETS = (
    TOKEN,
    EMAIL,
    "Test Owner",  # full name and card holder
    "04A1B2C3D4E5F6",  # card uid
    "NL-BCU-123456-7",  # card id
    "Owner card",  # card name
    "Teststraat",  # street
    "1234AB",  # zip code
)


@pytest.fixture(autouse=True)
def frozen_start(freezer: FrozenDateTimeFactory) -> None:
    """Freeze time before anything (the API client's access token included) is created."""
    freezer.move_to(START)


def assert_no_secrets(data: object, simulator: BlueCurrentSimulator) -> None:
    text = json.dumps(data)
    for secret in (*SECRETS, simulator.auth_token(TOKEN)):
        assert secret
        assert secret not in text


async def test_entry_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: BlueCurrentSimulator,
    snapshot: SnapshotAssertion,
) -> None:
    """The account's diagnostics: connection, every point and grid, secrets redacted."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert_no_secrets(diagnostics, simulator)
    assert diagnostics["entry"]["data"]["api_token"] == "**REDACTED**"
    assert diagnostics["entry"]["title"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["url"] == simulator.url
    assert diagnostics["connection"]["requests_sent"] > 0
    assert set(diagnostics["charge_points"]) == {"BCU101", "BCU102"}
    assert diagnostics == snapshot(exclude=props("url"))


async def test_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: BlueCurrentSimulator,
    snapshot: SnapshotAssertion,
) -> None:
    """A charge point's and a grid's own diagnostics."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    devices = dr.async_get(hass)

    point = devices.async_get_device(identifiers={(DOMAIN, "BCU102")})
    assert point is not None
    point_diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, point)
    assert_no_secrets(point_diagnostics, simulator)
    assert point_diagnostics["charge_point"]["model"]["id"] == "BCU102"
    card = point_diagnostics["charge_point"]["client"]["info"]["default_card"]
    assert card["uid"] == card["id"] == card["name"] == "**REDACTED**"
    assert point_diagnostics == snapshot(name="charge_point")

    grid = devices.async_get_device(identifiers={(DOMAIN, f"{CUSTOMER_ID}_GRID-BCU101")})
    assert grid is not None
    grid_diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, grid)
    assert grid_diagnostics["grid"]["model"]["id"] == "GRID-BCU101"
    assert "charge_point" not in grid_diagnostics
    assert grid_diagnostics == snapshot(name="grid")
