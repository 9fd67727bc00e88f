"""No secret anywhere: logs at DEBUG level and diagnostics, through a whole working life.

Logs and diagnostics get pasted into public bug reports. The account here carries personal
data that is easy to search for; the test runs setup (config flow), pushes, actions that
succeed and fail, unusable frames full of personal data, reconnects, an ERROR, a revoked
token and diagnostics, with every logger (Home Assistant's, websockets', ours) at DEBUG, and
then looks for each secret, and for any 10-character piece of a token, in everything logged.

It also checks the transport's own safety: TLS verification for wss, the inbound frame
bound, and that Home Assistant's blocking-call detection stays silent.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cryptography import x509
from homeassistant import block_async_io
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)

from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN
from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions
from tests.tls import self_signed_contexts

from .helpers import START, fire, wait_for

if TYPE_CHECKING:
    import ssl
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

SCENARIO = Path(__file__).parents[2] / "simulators" / "bluecurrent" / "scenarios" / "test.json"

API_TOKEN = "apitok-7Q2vX9mLw4Rk8Zp3"  # the test account's (fake) secret
EMAIL = "jane.secretive@example.org"
FULL_NAME = "Jane Secretive-Hidden"
CARD_UID = "04C0FFEE5EC7E7"
CARD_ID = "NL-BCU-777000-1"
CARD_NAME = "Janes private card"
GUEST_UID = "04BADC0DE9911"
STREET = "Geheimweg"
HOUSENUMBER = "13-bis"
ZIPCODE = "9876 ZX"
CITY = "Verborgenstad"
LATITUDE = 52.3791283
LONGITUDE = 4.8999321
IBAN = "NL91ABNA0417164300"
PHONE = "+31612345678"

SECRETS = (
    API_TOKEN,
    EMAIL,
    FULL_NAME,
    CARD_UID,
    CARD_ID,
    CARD_NAME,
    GUEST_UID,
    STREET,
    HOUSENUMBER,
    ZIPCODE,
    CITY,
    str(LATITUDE),
    str(LONGITUDE),
    IBAN,
    PHONE,
)


def secret_scenario() -> Scenario:
    """The test scenario with personal data that is easy to search for."""
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    account = data["accounts"][0]
    account.update(api_token=API_TOKEN, email=EMAIL, full_name=FULL_NAME)
    owner, guest = account["cards"]
    owner.update(uid=CARD_UID, id=CARD_ID, name=CARD_NAME, customer_name=FULL_NAME)
    guest.update(uid=GUEST_UID)
    location = {
        "x_coord": LATITUDE,
        "y_coord": LONGITUDE,
        "street": STREET,
        "housenumber": HOUSENUMBER,
        "zipcode": ZIPCODE,
        "city": CITY,
        "country": "NL",
    }
    for point in account["charge_points"]:
        point["location"] = location
        point["publish_location"] = True
    account["charge_points"][1].update(default_card=CARD_UID, preferred_card=CARD_UID)
    account["charge_points"][0]["plug_and_charge_card"] = CARD_UID
    return Scenario.from_dict(data)


@pytest.fixture
async def simulator(
    socket_enabled: None, simulator_options: SimulatorOptions
) -> AsyncIterator[BlueCurrentSimulator]:
    """The simulator serving the account with searchable personal data."""
    async with BlueCurrentSimulator(
        secret_scenario(), options=simulator_options, clock=SimClock(START)
    ) as sim:
        yield sim


@dataclass(frozen=True, slots=True)
class TLS:
    """A self-signed certificate for 127.0.0.1, as a server context and a trusting one."""

    server: ssl.SSLContext
    trusting: ssl.SSLContext


@pytest.fixture
def tls(tmp_path: Path) -> TLS:
    """Certificate and contexts, made before the blocking-call detection is switched on."""
    address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    return TLS(*self_signed_contexts(tmp_path, "127.0.0.1", [address]))


@pytest.fixture
async def tls_url(simulator: BlueCurrentSimulator, tls: TLS) -> AsyncIterator[str]:
    """The simulator's /haserver behind a TLS front end with the self-signed certificate."""
    pipes: set[asyncio.Task[None]] = set()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            simulator.host, simulator.port
        )
        for task in (
            asyncio.create_task(pipe(reader, upstream_writer)),
            asyncio.create_task(pipe(upstream_reader, writer)),
        ):
            pipes.add(task)
            task.add_done_callback(pipes.discard)

    server = await asyncio.start_server(forward, "127.0.0.1", 0, ssl=tls.server)
    port = server.sockets[0].getsockname()[1]
    yield f"wss://127.0.0.1:{port}/haserver"
    server.close()
    for task in list(pipes):
        task.cancel()
    await asyncio.gather(*pipes, return_exceptions=True)
    await server.wait_closed()


@pytest.fixture(autouse=True)
def blocking_call_detection(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    tls: TLS,
    disable_block_async_io: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Home Assistant's blocking-call detection, complete as in production.

    The test plugin leaves it off, and under tests Home Assistant skips most checks (file
    access, CA store loading); both are undone here. Switched on after the simulator has
    read its scenario file; the plugin's fixture switches it off after the test.
    """
    monkeypatch.setattr(block_async_io, "_IN_TESTS", False)
    block_async_io.enable()


def pieces(token: str, size: int = 10) -> set[str]:
    """Every `size`-character piece of a token: an elided log line may show part of it."""
    return {token[i : i + size] for i in range(len(token) - size + 1)}


def leaks(text: str, auth_token: str) -> list[str]:
    """The secrets (or token pieces) found in `text`."""
    found = [secret for secret in SECRETS if secret in text]
    found += [piece for piece in pieces(API_TOKEN) | pieces(auth_token) if piece in text]
    return found


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged: messages, arguments as formatted, tracebacks."""
    lines = []
    for record in caplog.records:
        if record.name.startswith("pytest_homeassistant_custom_component"):
            continue  # the test harness' own storage mock prints what it stores
        lines.append(f"{record.name} {record.levelname} {record.getMessage()}")
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            lines.append(record.stack_info)
    return "\n".join(lines)


async def call(hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]) -> None:
    await hass.services.async_call(domain, service, data, blocking=True)


async def press(hass: HomeAssistant, entity_id: str) -> None:
    await call(hass, "button", "press", {ATTR_ENTITY_ID: entity_id})


async def set_up_through_the_config_flow(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> ConfigEntry:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER, "show_advanced_options": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bluecurrent"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: API_TOKEN, CONF_URL: simulator.url}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.coordinator.raw_charge_point("BCU102")  # personal data arrived
    return entry


async def push_personal_data(hass: HomeAssistant, simulator: BlueCurrentSimulator) -> None:
    """A good push with extra personal fields, and unusable frames full of it."""
    auth_token = simulator.auth_token(API_TOKEN)
    await simulator.faults.send_object(
        {
            "object": "CH_SETTINGS",
            "data": {
                "evse_id": "BCU101",
                "plug_and_charge": {"value": True, "permission": "write"},
                "default_card": {"uid": CARD_UID, "id": CARD_ID, "name": CARD_NAME},
                "iban": IBAN,
                "owner": {"email": EMAIL, "tel": PHONE, "street": STREET},
            },
        }
    )
    frames = (
        f'{{"object": "CH_STATUS", "evse_id": "{CARD_UID}", "email": "{EMAIL}"',  # cut off
        json.dumps({"object": "CONTRACTS", "iban_beneficiary": IBAN, "contact_email": EMAIL}),
        json.dumps({"no_object": True, "token": auth_token, "card": CARD_UID}),
        json.dumps({"object": "CH_STATUS", "data": {"evse_id": [CARD_UID], "city": CITY}}),
        json.dumps({"object": "ERROR", "message": f"{EMAIL} {IBAN}"}),
    )
    for frame in frames:
        await simulator.faults.send_raw(frame)
    client = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator.client
    await wait_for(hass, lambda: client.dropped_messages >= len(frames))


async def use_every_kind_of_action(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, entry: ConfigEntry
) -> None:
    """Switches, buttons, the card select and the actions; successful and refused."""
    await simulator.plug_in("BCU102")
    switch = {ATTR_ENTITY_ID: "switch.driveway_plug_and_charge"}
    await call(hass, "switch", "turn_off", switch)
    await call(hass, "switch", "turn_on", switch)
    await press(hass, "button.driveway_soft_reset")
    simulator.faults.fail_next("REBOOT", f"REJECTED for {EMAIL}")
    with pytest.raises(HomeAssistantError):
        await press(hass, "button.driveway_reboot")

    card_select = "select.garage_charge_card"
    state = hass.states.get(card_select)
    assert state is not None
    options = [option for option in state.attributes["options"] if option != state.state]
    await call(hass, "select", "select_option", {ATTR_ENTITY_ID: card_select, "option": options[0]})
    await press(hass, "button.garage_start_session")
    await press(hass, "button.garage_stop_session")

    garage = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, "BCU102")})
    assert garage is not None
    start = {"device_id": garage.id, "charge_card": CARD_UID}
    await call(hass, DOMAIN, "start_charge_session", start)
    await call(hass, DOMAIN, "stop_charge_session", {"device_id": garage.id})
    simulator.faults.fail_next("START_SESSION", f"REJECTED card {GUEST_UID}")
    with pytest.raises(HomeAssistantError):
        await call(hass, DOMAIN, "start_charge_session", {**start, "charge_card": GUEST_UID})
    with pytest.raises(HomeAssistantError):  # an unknown card
        await call(hass, DOMAIN, "start_charge_session", {**start, "charge_card": IBAN})
    response = await hass.services.async_call(
        DOMAIN,
        "list_charge_cards",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert CARD_UID in json.dumps(response)  # what the user asked for; never logged


async def break_and_restore_the_link(
    hass: HomeAssistant, simulator: BlueCurrentSimulator, delays: list[float]
) -> None:
    """An ERROR that answers a command, one nobody waits for, a drop during a command."""
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator
    simulator.faults.error_next("SOFT_RESET", 9, f"Unknown error for {EMAIL}")
    with pytest.raises(HomeAssistantError):
        await press(hass, "button.driveway_soft_reset")
    assert coordinator.link_up  # an ERROR answering one command keeps the socket
    await simulator.faults.send_object(
        {"object": "ERROR", "error": 9, "message": f"Unknown error for {EMAIL}"}
    )
    await wait_for(hass, lambda: len(delays) == 1)
    fire(hass, delays[-1])
    await wait_for(hass, lambda: coordinator.link_up)
    simulator.faults.drop_on("SOFT_RESET")
    with pytest.raises(HomeAssistantError):
        await press(hass, "button.driveway_soft_reset")
    await wait_for(hass, lambda: len(delays) == 2)
    fire(hass, delays[-1])
    await wait_for(hass, lambda: coordinator.link_up)


async def all_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: ConfigEntry
) -> list[str]:
    """The account's diagnostics and those of every device, as JSON."""
    texts = [json.dumps(await get_diagnostics_for_config_entry(hass, hass_client, entry))]
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, device)
        texts.append(json.dumps(diagnostics))
    return texts


async def test_no_secret_in_logs_or_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: BlueCurrentSimulator,
    delays: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup, pushes, actions, errors, reconnects, reauth and diagnostics leak nothing."""
    caplog.set_level(logging.DEBUG)
    entry = await set_up_through_the_config_flow(hass, simulator)
    auth_token = simulator.auth_token(API_TOKEN)
    assert auth_token

    await push_personal_data(hass, simulator)
    await use_every_kind_of_action(hass, simulator, entry)
    await break_and_restore_the_link(hass, simulator, delays)
    for text in await all_diagnostics(hass, hass_client, entry):
        assert leaks(text, auth_token) == []

    # The token is revoked: ERROR 1, reauthentication.
    simulator.revoke_token(API_TOKEN)
    await simulator.faults.send_object({"object": "ERROR", "error": 1, "message": "Invalid"})
    await wait_for(hass, lambda: bool(hass.config_entries.flow.async_progress_by_handler(DOMAIN)))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    text = logged(caplog)
    assert "Sent START_SESSION for BCU102" in text  # the debug log did run
    assert "Dropped a " in text
    assert "Detected blocking call" not in text
    assert leaks(text, auth_token) == []


async def test_tls_is_verified_for_wss(
    hass: HomeAssistant,
    simulator: BlueCurrentSimulator,
    tls_url: str,
    tls: TLS,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """wss with a certificate nobody vouches for: setup fails, nothing goes out in clear text.

    The same server is reachable with a context that trusts its certificate, so it is the
    verification, and nothing else, that stops the integration.
    """
    caplog.set_level(logging.DEBUG)
    trusting = BlueCurrentClient(API_TOKEN, url=tls_url, ssl_context=tls.trusting)
    assert await trusting.validate_token() == "1001"
    validations = len(simulator.commands("VALIDATE_API_TOKEN"))

    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Blue Current",
        unique_id="1001",
        data={CONF_API_TOKEN: API_TOKEN, CONF_URL: tls_url},
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "cannot_connect"
    assert entry.error_reason_translation_placeholders == {
        "error": "Cannot connect: SSLCertVerificationError"
    }
    assert len(simulator.commands("VALIDATE_API_TOKEN")) == validations  # the token stayed home
    assert "Detected blocking call" not in caplog.text
    assert await hass.config_entries.async_unload(entry.entry_id)
