"""Options flow: the Blue Current app login, only needed where the app socket refuses the token.

Everything runs against the simulator over real sockets, through pybluecurrent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CONF_APP_PASSWORD,
    CONF_APP_USERNAME,
)

from .helpers import EMAIL, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from simulators.bluecurrent import BlueCurrentSimulator


@pytest.fixture(autouse=True)
def few_platforms() -> Iterator[None]:
    with patch(
        "custom_components.ev_charge_points.PLATFORMS", [Platform.SENSOR, Platform.CALENDAR]
    ):
        yield


@pytest.fixture
async def entry(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> MockConfigEntry:
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    return entry


@pytest.mark.parametrize("advanced", [False, True])
async def test_login_is_validated_and_stored(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator, advanced: bool
) -> None:
    result = await hass.config_entries.options.async_init(
        entry.entry_id, context={"show_advanced_options": advanced}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    # No app encryption key, in no mode: pybluecurrent brings what the app login needs.
    assert set(result["data_schema"].schema) == {CONF_APP_USERNAME, CONF_APP_PASSWORD}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: f"  {EMAIL} ", CONF_APP_PASSWORD: "hunter2"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    (login,) = simulator.commands("VALIDATE_PASSWORD")
    assert login["username"] == EMAIL
    assert "hunter2" not in login["password"]  # sent inside the SJCL envelope
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED  # reloaded with the login
    manager = entry.runtime_data.history
    await wait_for(hass, lambda: manager.last_import is not None)
    # The token is still accepted: the stored login is not used.
    assert manager.source.app_api.credential == "api_token"
    assert len(simulator.commands("VALIDATE_PASSWORD")) == 1


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        (
            {CONF_APP_USERNAME: "nobody@example.com", CONF_APP_PASSWORD: "x"},
            {"base": "invalid_login"},
        ),
        ({CONF_APP_USERNAME: EMAIL}, {CONF_APP_PASSWORD: "password_required"}),
    ],
)
async def test_login_errors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert entry.options == {}

    # The form can be fixed and sent again.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_unreachable_server(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    await simulator.faults.go_offline()
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_empty_email_removes_the_login(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    entry = make_entry(simulator)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, options={CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    )
    await setup_entry(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    suggested = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    # The e-mail is shown again, the password never.
    assert suggested == {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: None}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: ""}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {}


async def test_reauth_asks_for_the_api_token(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reauth is only about the API token; the app login lives in the options."""
    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["step_id"] == "reauth_confirm"


async def test_the_token_alone_brings_the_account_figures(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """CO2, trees and subscription come through pybluecurrent with the API token only."""
    manager = entry.runtime_data.history
    await wait_for(hass, lambda: manager.last_import is not None)

    assert hass.states.get("sensor.blue_current_account_co2_saved").state == "12.345"  # type: ignore[union-attr]
    assert hass.states.get("sensor.blue_current_account_trees_planted").state == "1"  # type: ignore[union-attr]
    subscription = hass.states.get("sensor.blue_current_account_subscription")
    assert subscription is not None
    assert subscription.state == "basis"  # the vendor's "BASIS", translated as "Basic"
    assert subscription.attributes["options"] == ["basis", "other"]
    assert simulator.commands("VALIDATE_PASSWORD") == []
    assert entry.options == {}
