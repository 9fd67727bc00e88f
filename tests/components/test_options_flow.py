"""Options flow: the Blue Current app login for the charging history (and its reauth)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.api.bluecurrent import sjcl_decrypt
from custom_components.ev_charge_points.brands.bluecurrent.const import (
    CONF_APP_PASSPHRASE,
    CONF_APP_PASSWORD,
    CONF_APP_USERNAME,
    REAUTH_APP_LOGIN,
)
from simulators.bluecurrent import BlueCurrentSimulator, SimulatorOptions

from .helpers import EMAIL, make_entry, setup_entry, wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

KEY = "0123456789abcdef0123456789abcdef"  # made up: the app's own key is not shipped


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


async def test_login_is_validated_and_stored(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert set(result["data_schema"].schema) == {CONF_APP_USERNAME, CONF_APP_PASSWORD}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: f"  {EMAIL} ", CONF_APP_PASSWORD: "hunter2"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_APP_USERNAME: EMAIL,
        CONF_APP_PASSWORD: "hunter2",
        CONF_APP_PASSPHRASE: "",
    }
    (login,) = simulator.commands("VALIDATE_PASSWORD")
    assert login["username"] == EMAIL
    assert "hunter2" not in login["password"]  # sent inside the SJCL envelope
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED  # reloaded with the login
    manager = entry.runtime_data.history
    await wait_for(hass, lambda: manager.last_import is not None)
    assert manager.source.sustainability is not None  # the login was used


async def test_advanced_mode_sets_the_app_key(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    result = await hass.config_entries.options.async_init(
        entry.entry_id, context={"show_advanced_options": True}
    )
    assert CONF_APP_PASSPHRASE in result["data_schema"].schema
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2", CONF_APP_PASSPHRASE: KEY},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_APP_PASSPHRASE] == KEY
    (login,) = simulator.commands("VALIDATE_PASSWORD")
    assert sjcl_decrypt(json.loads(login["password"]), KEY) == "hunter2"


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
    assert suggested == {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: ""}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {}


async def test_reauth_of_the_app_login(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    hass.config_entries.async_update_entry(
        entry, options={CONF_APP_USERNAME: "old@example.com", CONF_APP_PASSWORD: "old"}
    )
    entry.async_start_reauth(hass, data={REAUTH_APP_LOGIN: True})
    await hass.async_block_till_done()
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["step_id"] == "reauth_login"

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_APP_USERNAME: "wrong@example.com", CONF_APP_PASSWORD: "x"}
    )
    assert result["errors"] == {"base": "invalid_login"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "new"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.options[CONF_APP_USERNAME] == EMAIL
    assert entry.options[CONF_APP_PASSWORD] == "new"
    assert REAUTH_APP_LOGIN not in entry.data  # the marker only steers the flow


async def test_the_token_reauth_is_unchanged(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Without the marker, reauth still asks for the API token."""
    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["step_id"] == "reauth_confirm"


@pytest.mark.parametrize("simulator_options", [SimulatorOptions(rest_accepts_api_token=False)])
async def test_login_brings_the_account_figures(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """With the app login, sustainability and subscription sensors show the account's data."""
    entry = make_entry(simulator)
    await setup_entry(hass, entry)
    assert hass.states.get("sensor.blue_current_account_co2_saved") is None  # only with the login
    assert hass.states.get("sensor.blue_current_account_subscription").state == "unknown"  # type: ignore[union-attr]

    result = await hass.config_entries.options.async_init(entry.entry_id)
    await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_APP_USERNAME: EMAIL, CONF_APP_PASSWORD: "hunter2"}
    )
    await hass.async_block_till_done()
    manager = entry.runtime_data.history
    await wait_for(hass, lambda: manager.last_import is not None)

    assert hass.states.get("sensor.blue_current_account_co2_saved").state == "12.345"  # type: ignore[union-attr]
    assert hass.states.get("sensor.blue_current_account_trees_planted").state == "1"  # type: ignore[union-attr]
    subscription = hass.states.get("sensor.blue_current_account_subscription")
    assert subscription is not None
    assert subscription.state == "basis"  # the vendor's "BASIS", translated as "Basic"
    assert subscription.attributes["options"] == ["basis", "other"]
