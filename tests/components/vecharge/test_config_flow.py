"""veCharge's config flow against the simulator: brand menu, token and charger id, reauth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.brands.vecharge.const import BRAND, CONF_CHARGER_ID
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.registry import CONF_BRAND
from tests.components.helpers import setup_entry

from .helpers import CHARGER_ID, TOKEN, make_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.vecharge import VeChargeSimulator


async def _open_form(hass: HomeAssistant) -> str:
    menu = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": True}
    )
    assert menu["type"] is FlowResultType.MENU
    assert BRAND in menu["menu_options"]
    form = await hass.config_entries.flow.async_configure(menu["flow_id"], {"next_step_id": BRAND})
    assert form["type"] is FlowResultType.FORM
    assert form["step_id"] == BRAND
    return form["flow_id"]


def _input(sim: VeChargeSimulator, **changes: str) -> dict[str, Any]:
    return {CONF_API_TOKEN: TOKEN, CONF_CHARGER_ID: CHARGER_ID, CONF_URL: sim.url, **changes}


async def test_token_and_charger_id_create_the_entry(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator
) -> None:
    flow_id = await _open_form(hass)
    # Pasted with spaces around: still the same token and id.
    result = await hass.config_entries.flow.async_configure(
        flow_id, _input(vecharge_sim, api_token=f" {TOKEN} ", charger_id=f"{CHARGER_ID} ")
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "veCharge test"
    assert result["data"] == {
        CONF_BRAND: BRAND,
        CONF_API_TOKEN: TOKEN,
        CONF_CHARGER_ID: CHARGER_ID,
        CONF_URL: vecharge_sim.url,
    }
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    assert entry.unique_id == CHARGER_ID
    assert entry.state is ConfigEntryState.LOADED
    # Validation connected once and closed again; the entry holds its own connection.
    assert vecharge_sim.stats.connection_attempts == 2


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({CONF_API_TOKEN: "wrong"}, {CONF_API_TOKEN: "vecharge_invalid_token"}),
        ({CONF_CHARGER_ID: "nope"}, {CONF_CHARGER_ID: "vecharge_unknown_charger"}),
        ({CONF_CHARGER_ID: "  "}, {CONF_CHARGER_ID: "vecharge_unknown_charger"}),
        ({CONF_URL: "http://127.0.0.1:9"}, {"base": "vecharge_cannot_connect"}),
    ],
)
async def test_bad_input_is_explained_and_can_be_corrected(
    hass: HomeAssistant,
    vecharge_sim: VeChargeSimulator,
    changes: dict[str, str],
    errors: dict[str, str],
) -> None:
    flow_id = await _open_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _input(vecharge_sim, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(flow_id, _input(vecharge_sim))
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_each_refusal_style_of_the_server_is_understood(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator
) -> None:
    flow_id = await _open_form(hass)
    for style in ("connect_error", "http_status", "error_event"):
        vecharge_sim.options.refusal_style = style  # type: ignore[assignment]
        result = await hass.config_entries.flow.async_configure(
            flow_id, _input(vecharge_sim, api_token="wrong")
        )
        assert result["errors"] == {CONF_API_TOKEN: "vecharge_invalid_token"}, style


async def test_a_charger_is_added_once(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator
) -> None:
    await setup_entry(hass, make_entry(vecharge_sim))
    flow_id = await _open_form(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, _input(vecharge_sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "vecharge_already_configured"


async def test_a_refused_token_at_setup_asks_for_a_new_one(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator
) -> None:
    entry = make_entry(vecharge_sim, token="expired")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["context"]["source"] == "reauth"
    assert flow["step_id"] == "vecharge_reauth"

    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: "still-wrong"}
    )
    assert result["errors"] == {CONF_API_TOKEN: "vecharge_invalid_token"}
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_API_TOKEN: TOKEN}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_TOKEN] == TOKEN
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_changes_the_token(
    hass: HomeAssistant, vecharge_sim: VeChargeSimulator
) -> None:
    entry = make_entry(vecharge_sim)
    await setup_entry(hass, entry)
    vecharge_sim.tokens["new-token"] = vecharge_sim.tokens[TOKEN]
    result = await entry.start_reconfigure_flow(hass, show_advanced_options=True)
    assert result["step_id"] == "vecharge_reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: "wrong", CONF_URL: vecharge_sim.url}
    )
    assert result["errors"] == {CONF_API_TOKEN: "vecharge_invalid_token"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: "new-token", CONF_URL: vecharge_sim.url}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_TOKEN] == "new-token"
    assert entry.state is ConfigEntryState.LOADED
