"""Config flow: user step, every error, duplicate, reauth and reconfigure, against the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigFlowResult
from homeassistant.data_entry_flow import FlowResultType

from custom_components.ev_charge_points.api.bluecurrent import DEFAULT_URL
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from custom_components.ev_charge_points.registry import CONF_BRAND

from .helpers import CUSTOMER_ID, EMAIL, START, TOKEN, make_entry, setup_entry

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator

OTHER_TOKEN = "other-token"  # the simulator's second account (customer 1002)
UNREACHABLE = "ws://127.0.0.1:9/haserver"


async def _choose_blue_current(hass: HomeAssistant, *, advanced: bool) -> ConfigFlowResult:
    """Open the flow and pick Blue Current from the brand menu."""
    menu = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": advanced}
    )
    assert menu["type"] is FlowResultType.MENU
    assert menu["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(
        menu["flow_id"], {"next_step_id": "bluecurrent"}
    )


async def _start_user_flow(hass: HomeAssistant, *, advanced: bool) -> str:
    result = await _choose_blue_current(hass, advanced=advanced)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bluecurrent"
    assert result["errors"] == {}
    return result["flow_id"]


async def test_brand_menu_lists_blue_current(hass: HomeAssistant) -> None:
    """The first step is a menu of the registered brands, Blue Current first."""
    menu = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert menu["type"] is FlowResultType.MENU
    assert menu["menu_options"] == ["bluecurrent", "goe", "vecharge"]


async def test_user_flow_creates_entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """The token (trimmed) is validated; the customer id is the unique id and in the title."""
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: f"  {TOKEN}\n", CONF_URL: f" {simulator.url} "}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Home Assistant's own log lines name the entry: never by the account's e-mail.
    assert result["title"] == f"Blue Current (customer {CUSTOMER_ID})"
    assert result["data"] == {
        CONF_BRAND: "bluecurrent",
        CONF_API_TOKEN: TOKEN,
        CONF_URL: simulator.url,
    }
    assert result["result"].unique_id == CUSTOMER_ID
    assert [c["token"] for c in simulator.commands("VALIDATE_API_TOKEN")] == [TOKEN] * 2
    assert not simulator.commands("GET_ACCOUNT")  # the e-mail is not needed any more
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/haserver",
        "ws://example.com/haserver",
        "wss://user:secret@motown.bluecurrent.nl/haserver",
        "ws://user@127.0.0.1:9/haserver",
        "motown.bluecurrent.nl",
        "wss://",
        "ftp://[::1]/x",
    ],
)
async def test_unusable_server_url(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, url: str
) -> None:
    """Only wss (ws to this machine) without user info; anything else is a URL error."""
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: url}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_URL: "invalid_url"}
    assert simulator.connection_attempts == 0
    hass.config_entries.flow.async_abort(flow_id)


async def test_blank_token_is_refused(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """A token of only spaces is an invalid token, nothing is sent."""
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: "   ", CONF_URL: simulator.url}
    )
    assert result["errors"] == {CONF_API_TOKEN: "invalid_token"}
    assert simulator.connection_attempts == 0
    hass.config_entries.flow.async_abort(flow_id)


async def test_an_entry_named_by_e_mail_is_renamed(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Entries made before were named after the e-mail: renamed at setup, logs free of it."""
    simulator.faults.reject_handshakes("Service unavailable", status=503)
    entry = make_entry(simulator)
    assert entry.title == EMAIL
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY  # HA logs "Config entry '<title>' ..."
    assert entry.title == f"Blue Current (customer {CUSTOMER_ID})"
    assert EMAIL not in caplog.text


async def test_url_field_only_in_advanced_mode(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Without advanced mode only the token is asked and the production URL is stored."""
    result = await _choose_blue_current(hass, advanced=False)
    assert list(result["data_schema"].schema) == [CONF_API_TOKEN]

    advanced = await _choose_blue_current(hass, advanced=True)
    fields = {str(key): key for key in advanced["data_schema"].schema}
    assert list(fields) == [CONF_API_TOKEN, CONF_URL]
    assert fields[CONF_URL].default() == DEFAULT_URL
    hass.config_entries.flow.async_abort(advanced["flow_id"])

    # The production server is out of reach in tests: stand the simulator in for it.
    with patch(
        "custom_components.ev_charge_points.brands.bluecurrent.flow.DEFAULT_URL", simulator.url
    ):
        done = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_TOKEN: TOKEN}
        )
        await hass.async_block_till_done()
    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert done["data"] == {
        CONF_BRAND: "bluecurrent",
        CONF_API_TOKEN: TOKEN,
        CONF_URL: simulator.url,
    }


async def test_invalid_token_then_recover(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A refused token is shown on the token field; a good one then goes through."""
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: "wrong", CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_API_TOKEN: "invalid_token"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_cannot_connect(hass: HomeAssistant, socket_enabled: None) -> None:
    """A refused TCP connect is cannot_connect."""
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: UNREACHABLE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_limit_reached_shows_the_reset_time(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A spent budget: the form says when it resets, in Home Assistant's time zone."""
    await hass.config.async_set_time_zone("Europe/London")
    freezer.move_to(START)  # 13:00 in Amsterdam: the reset is 00:00:30 there, 23:00 here
    simulator.set_request_limit(0)
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "limit_reached"}
    assert result["description_placeholders"] == {"reset_time": "23:00"}


async def test_already_connected(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """An "Already connected" rejection has its own message."""
    simulator.faults.reject_handshakes("Already connected")
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_connected"}


async def test_unexpected_server_error(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """An ERROR the flow cannot place (code 9) is reported as unknown."""
    simulator.faults.error_next("VALIDATE_API_TOKEN", 9, "Unknown error")
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}


async def test_duplicate_account_aborts(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """The same account twice (even with another token) is refused."""
    make_entry(simulator).add_to_hass(hass)
    flow_id = await _start_user_flow(hass, advanced=True)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_updates_token_and_reloads(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Reauth with a working token of the same account stores it and reloads."""
    entry = make_entry(simulator, token="revoked-token")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_API_TOKEN: "still-wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {CONF_API_TOKEN: "invalid_token"}

    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_API_TOKEN: f" {TOKEN} "}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {CONF_BRAND: "bluecurrent", CONF_API_TOKEN: TOKEN, CONF_URL: simulator.url}
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_refuses_another_account(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """A token of a different customer aborts and leaves the entry alone."""
    entry = make_entry(simulator)
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: OTHER_TOKEN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_TOKEN] == TOKEN


@pytest.mark.parametrize(
    ("token", "reason"), [(TOKEN, "reconfigure_successful"), (OTHER_TOKEN, "wrong_account")]
)
async def test_reconfigure(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, token: str, reason: str
) -> None:
    """Reconfigure accepts a new token (and URL) of the same account only."""
    entry = make_entry(simulator, token="old-token")
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass, show_advanced_options=True)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: "nope", CONF_URL: simulator.url}
    )
    assert result["errors"] == {CONF_API_TOKEN: "invalid_token"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: token, CONF_URL: simulator.url}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    expected = TOKEN if reason == "reconfigure_successful" else "old-token"
    # The brand is added when the entry loads (version 1 -> 2), whether or not it changed.
    assert {key: entry.data[key] for key in (CONF_API_TOKEN, CONF_URL)} == {
        CONF_API_TOKEN: expected,
        CONF_URL: simulator.url,
    }
