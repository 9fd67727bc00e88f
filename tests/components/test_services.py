"""Actions against the simulator: wire commands, confirmed results, every validation error."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
import voluptuous as vol
from annotatedyaml import load_yaml
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import selector
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.ev_charge_points.api.bluecurrent import Weekday
from custom_components.ev_charge_points.const import (
    CONF_API_TOKEN,
    CONF_URL,
    DOMAIN,
    NO_CARD_OPTION,
)
from custom_components.ev_charge_points.device_condition import CONDITIONS
from custom_components.ev_charge_points.device_trigger import TRIGGER_TYPES
from simulators.bluecurrent import BlueCurrentSimulator, Scenario
from tests.conftest import TEST_SCENARIO

from .helpers import CUSTOMER_ID, TOKEN, coordinator_of, make_entry, setup_entry, state_of, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from homeassistant.core import HomeAssistant

INTEGRATION = Path(__file__).parents[2] / "custom_components" / DOMAIN
OWNER_UID = "04A1B2C3D4E5F6"
GUEST_UID = "0499887766554433"
WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

SERVICES = [
    "start_charge_session",
    "stop_charge_session",
    "set_delayed_charging",
    "set_price_based_charging",
    "boost",
    "set_override_current",
    "edit_override_current",
    "clear_override_current",
    "list_override_currents",
    "list_charge_cards",
]


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> AsyncIterator[MockConfigEntry]:
    """The account with binary sensors (devices, and a view of charging) and selects."""
    entry = make_entry(simulator)
    with patch(
        "custom_components.ev_charge_points.PLATFORMS",
        [Platform.BINARY_SENSOR, Platform.SELECT],
    ):
        await setup_entry(hass, entry)
        yield entry


def _device(hass: HomeAssistant, identifier: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None
    return device.id


async def _call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


async def _invalid(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> ServiceValidationError:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, data)
    assert err.value.translation_domain == DOMAIN
    return err.value


def _wire(simulator: BlueCurrentSimulator, command: str) -> list[dict[str, Any]]:
    """Payloads of one command, without the command name and the auth token."""
    return [
        {k: v for k, v in payload.items() if k not in ("Authorization", "command")}
        for payload in simulator.commands(command)
    ]


def _controls(simulator: BlueCurrentSimulator, start: int = 0) -> list[str]:
    """Names of every command after `start` that is not a data request."""
    return [
        command.name
        for command in simulator.received[start:]
        if not command.name.startswith(("GET_", "LIST_", "HELLO", "VALIDATE_"))
    ]


async def test_actions_are_registered_once_without_entries(hass: HomeAssistant) -> None:
    """The actions exist as soon as the integration is set up, before any account."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert set(SERVICES) <= set(hass.services.async_services_for_domain(DOMAIN))


# --- sessions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "token"),
    [
        ({"charge_card": OWNER_UID}, OWNER_UID),
        ({"charge_card": "nl-bcu-654321-0"}, GUEST_UID),  # the printed id, any case
        ({"charge_card": "no_card"}, "BCU-APP"),
        ({"charge_card": "BCU-APP"}, "BCU-APP"),
        ({}, "BCU-APP"),  # the select's choice: none yet
    ],
    ids=["uid", "printed-id", "no-card", "bcu-app", "chosen"],
)
async def test_start_charge_session(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    card: dict[str, str],
    token: str,
) -> None:
    """START_SESSION carries the card's uid; the car starts charging."""
    await simulator.plug_in("BCU102")
    await _call(hass, "start_charge_session", {"device_id": _device(hass, "BCU102"), **card})
    assert _wire(simulator, "START_SESSION") == [{"evse_id": "BCU102", "session_token": token}]
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.garage_charging") == "on")


async def test_start_with_the_chosen_card(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Without a card the action uses the card chosen in the charge point's select."""
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.garage_charge_card", "option": "Owner card (NL-BCU-123456-7)"},
        blocking=True,
    )
    await simulator.plug_in("BCU102")
    await _call(hass, "start_charge_session", {"device_id": _device(hass, "BCU102")})
    assert _wire(simulator, "START_SESSION")[-1]["session_token"] == OWNER_UID


async def test_start_with_an_unknown_card(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A card the account does not have is refused before sending; the value is not echoed."""
    err = await _invalid(
        hass,
        "start_charge_session",
        {"device_id": _device(hass, "BCU102"), "charge_card": "04FFFFFFFFFFFF"},
    )
    assert err.translation_key == "unknown_card"
    assert "04FFFFFFFFFFFF" not in str(err)
    assert not simulator.commands("START_SESSION")


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
async def test_start_with_a_blank_card(
    hass: HomeAssistant, socket_enabled: None, tmp_path: Path, blank: str
) -> None:
    """A blank card (a template that renders empty) is refused, not billed to some card.

    The guest card has no printed id here (""): a blank value used to match it.
    """
    scenario = json.loads(TEST_SCENARIO.read_text())
    scenario["accounts"][0]["cards"][1]["id"] = ""
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    async with BlueCurrentSimulator(Scenario.from_file(path)) as simulator:
        entry = make_entry(simulator)
        await setup_entry(hass, entry)
        err = await _invalid(
            hass,
            "start_charge_session",
            {"device_id": _device(hass, "BCU102"), "charge_card": blank},
        )
        assert err.translation_key == "unknown_card"
        assert not simulator.commands("START_SESSION")
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("set_override_current", {"current": True}),
        ("set_price_based_charging", {"minimum_pct": True}),
        ("set_price_based_charging", {"expected_kwh": False}),
    ],
)
async def test_a_boolean_is_no_number(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    service: str,
    data: dict[str, Any],
) -> None:
    """true/false where a number belongs is refused (it used to become 1 or 0)."""
    window = {"start_time": "16:00", "start_days": ["mon"], "stop_time": "21:00"}
    extra = window if service == "set_override_current" else {}
    with pytest.raises(vol.Invalid):
        await _call(hass, service, {"device_id": _device(hass, "BCU101"), **extra, **data})
    assert not simulator.commands("POST_SET_OVERRIDE_CURRENT")
    assert not simulator.commands("SET_PRICE_BASED_SETTINGS")


@pytest.mark.parametrize(
    ("error", "translation_key"),
    [("REJECTED", "start_session_rejected"), ("TIMEOUT", "command_timeout")],
)
async def test_start_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    error: str,
    translation_key: str,
) -> None:
    """The charge point's refusal is reported, translated, with the reason."""
    await simulator.plug_in("BCU102")
    simulator.faults.fail_next("START_SESSION", error)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "start_charge_session", {"device_id": _device(hass, "BCU102")})
    assert err.value.translation_key == translation_key
    assert state_of(hass, "binary_sensor.garage_charging") == "off"


async def test_stop_charge_session(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """STOP_SESSION ends the running session; without one the reason is given."""
    await _call(hass, "stop_charge_session", {"device_id": _device(hass, "BCU101")})
    assert _wire(simulator, "STOP_SESSION") == [{"evse_id": "BCU101"}]
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.driveway_charging") == "off")

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "stop_charge_session", {"device_id": _device(hass, "BCU101")})
    assert err.value.translation_key == "no_active_session"


# --- smart charging --------------------------------------------------------------------------


async def test_set_delayed_charging(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Profile on first, then the window; the select shows the profile the server reports."""
    await _call(
        hass,
        "set_delayed_charging",
        {
            "device_id": _device(hass, "BCU101"),
            "days": ["fri", "mon", "Tuesday", "WE"],
            "start_time": "17:00:00",
            "end_time": "23:30",
        },
    )
    assert _controls(simulator) == ["SET_DELAYED_CHARGING", "SAVE_SCHEDULE_DELAYED_CHARGING"]
    assert _wire(simulator, "SET_DELAYED_CHARGING") == [{"evse_id": "BCU101", "value": True}]
    assert _wire(simulator, "SAVE_SCHEDULE_DELAYED_CHARGING") == [
        {"evse_id": "BCU101", "days": "[1,2,3,5]", "start_time": "17:00", "end_time": "23:30"}
    ]
    assert state_of(hass, "select.driveway_smart_charging_profile") == "delayed"
    schedule = simulator.charge_point("BCU101").delayed_schedule
    assert (schedule.days, schedule.start, schedule.end) == (
        frozenset({1, 2, 3, 5}),
        time(17, 0),
        time(23, 30),
    )


async def test_delayed_charging_replaces_price_based(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """With price-based active: delayed on, price-based off, then the window (§6.1)."""
    await _call(hass, "set_price_based_charging", {"device_id": _device(hass, "BCU101")})
    assert state_of(hass, "select.driveway_smart_charging_profile") == "price_based"
    start = len(simulator.received)
    await _call(
        hass,
        "set_delayed_charging",
        {
            "device_id": _device(hass, "BCU101"),
            "days": "sat,sun",
            "start_time": "08:00",
            "end_time": "12:00",
        },
    )
    assert _controls(simulator, start) == [
        "SET_DELAYED_CHARGING",
        "SET_PRICE_BASED_CHARGING",
        "SAVE_SCHEDULE_DELAYED_CHARGING",
    ]
    assert _wire(simulator, "SET_PRICE_BASED_CHARGING")[-1]["value"] is False
    assert _wire(simulator, "SAVE_SCHEDULE_DELAYED_CHARGING")[-1]["days"] == "[6,7]"
    assert state_of(hass, "select.driveway_smart_charging_profile") == "delayed"


@pytest.mark.parametrize(
    ("data", "translation_key", "placeholders"),
    [
        ({"days": ["mon", "funday"]}, "invalid_days", {"days": '"funday"'}),
        ({"days": []}, "no_days", None),
        ({"start_time": "25:00"}, "invalid_time", {"time": "25:00"}),
        ({"end_time": "soon"}, "invalid_time", {"time": "soon"}),
    ],
)
async def test_delayed_charging_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    data: dict[str, Any],
    translation_key: str,
    placeholders: dict[str, str],
) -> None:
    """Malformed days and times are refused, translated, before anything is sent."""
    base = {
        "device_id": _device(hass, "BCU101"),
        "days": ["mon"],
        "start_time": "17:00",
        "end_time": "23:00",
    }
    err = await _invalid(hass, "set_delayed_charging", {**base, **data})
    assert err.translation_key == translation_key
    assert err.translation_placeholders == placeholders
    assert _controls(simulator) == []


async def test_set_price_based_charging(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Profile on, then only the given settings (PATCH_PRICE_BASED_CHARGING_SETTINGS)."""
    await _call(
        hass,
        "set_price_based_charging",
        {
            "device_id": _device(hass, "BCU101"),
            "departure_time": "07:30",
            "minimum_pct": 40,
            "battery_size_kwh": 77,
        },
    )
    assert _controls(simulator) == [
        "SET_PRICE_BASED_CHARGING",
        "PATCH_PRICE_BASED_CHARGING_SETTINGS",
    ]
    assert _wire(simulator, "PATCH_PRICE_BASED_CHARGING_SETTINGS") == [
        {
            "evse_id": "BCU101",
            "expected_departure_time": "07:30",
            "minimum_pct": 40,
            "battery_size_kwh": 77,
        }
    ]
    settings = simulator.charge_point("BCU101").price_settings
    assert (settings.expected_departure_time, settings.minimum_pct) == ("07:30", 40)
    assert settings.current_battery_pct == 20  # untouched
    assert state_of(hass, "select.driveway_smart_charging_profile") == "price_based"

    # Already price based: only the new setting goes out.
    await _call(
        hass,
        "set_price_based_charging",
        {"device_id": _device(hass, "BCU101"), "current_battery_pct": 55},
    )
    assert _controls(simulator)[2:] == ["PATCH_PRICE_BASED_CHARGING_SETTINGS"]
    assert _wire(simulator, "PATCH_PRICE_BASED_CHARGING_SETTINGS")[-1] == {
        "evse_id": "BCU101",
        "current_battery_pct": 55,
    }


@pytest.mark.parametrize(
    ("field", "value", "low", "high"),
    [
        ("current_battery_pct", 101, "1", "100"),
        ("minimum_pct", 0, "1", "100"),
        ("battery_size_kwh", 0, "1", "1000"),
    ],
)
async def test_price_based_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    field: str,
    value: int,
    low: str,
    high: str,
) -> None:
    """Settings out of range are refused, translated, before the profile changes."""
    err = await _invalid(
        hass, "set_price_based_charging", {"device_id": _device(hass, "BCU101"), field: value}
    )
    assert err.translation_key == "value_out_of_range"
    assert err.translation_placeholders == {
        "field": field,
        "value": str(value),
        "min": low,
        "max": high,
    }
    err = await _invalid(
        hass,
        "set_price_based_charging",
        {"device_id": _device(hass, "BCU101"), "departure_time": "7h"},
    )
    assert err.translation_key == "invalid_time"
    assert _controls(simulator) == []


async def test_smart_charging_refused(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A refused window is reported; the profile shown is what the server now has."""
    simulator.faults.fail_next("SAVE_SCHEDULE_DELAYED_CHARGING", "REJECTED")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "set_delayed_charging",
            {
                "device_id": _device(hass, "BCU101"),
                "days": ["mon"],
                "start_time": "17:00",
                "end_time": "23:00",
            },
        )
    assert err.value.translation_key == "command_rejected"
    assert err.value.translation_placeholders is None


async def test_boost_delayed_session(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A delay holding the session: OVERRIDE_DELAYED_CHARGING_TIMEOUT, and it charges."""
    device = _device(hass, "BCU101")
    err = await _invalid(hass, "boost", {"device_id": device})
    assert err.translation_key == "boost_not_possible"
    assert err.translation_placeholders == {"device": "Driveway"}

    # 13:00 in Amsterdam lies inside a 12:00-14:00 delay on every day.
    await _call(
        hass,
        "set_delayed_charging",
        {
            "device_id": device,
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start_time": "12:00",
            "end_time": "14:00",
        },
    )
    coordinator = coordinator_of(entry)
    await wait_for(hass, lambda: coordinator.data.charge_points["BCU101"].activity == "delayed")
    await _call(hass, "boost", {"device_id": device})
    assert _wire(simulator, "OVERRIDE_DELAYED_CHARGING_TIMEOUT") == [
        {"evse_id": "BCU101", "value": True}
    ]
    assert not simulator.commands("OVERRIDE_CHARGING_PROFILES")
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.driveway_charging") == "on")


async def test_boost_price_based_session(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Price-based charging at its reduced current: OVERRIDE_CHARGING_PROFILES."""
    device = _device(hass, "BCU101")
    await _call(hass, "set_price_based_charging", {"device_id": device})
    await _call(hass, "boost", {"device_id": device})
    assert _wire(simulator, "OVERRIDE_CHARGING_PROFILES") == [{"evse_id": "BCU101", "value": True}]
    assert simulator.charge_point("BCU101").price_boost


async def test_boost_refused(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The server saying TIMEOUT to a boost is reported, translated."""
    device = _device(hass, "BCU101")
    await _call(hass, "set_price_based_charging", {"device_id": device})
    simulator.faults.fail_next("OVERRIDE_CHARGING_PROFILES", "TIMEOUT")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "boost", {"device_id": device})
    assert err.value.translation_key == "command_timeout"
    assert not simulator.charge_point("BCU101").price_boost


# --- override currents -----------------------------------------------------------------------


async def test_set_override_current(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A new schedule for two points; stop days default to the start days."""
    await _call(
        hass,
        "set_override_current",
        {
            "device_id": [_device(hass, "BCU101"), _device(hass, "BCU102")],
            "start_time": "16:00",
            "start_days": ["mon", "tue"],
            "stop_time": "21:00",
            "current": 10,
        },
    )
    assert _wire(simulator, "POST_SET_OVERRIDE_CURRENT") == [
        {
            "chargepoints": ["BCU101", "BCU102"],
            "overridestarttime": "16:00",
            "overridestartdays": ["MO", "TU"],
            "overridestoptime": "21:00",
            "overridestopdays": ["MO", "TU"],
            "overridevalue": 10.0,
        }
    ]
    (schedule,) = simulator.schedules(TOKEN)
    assert (schedule.charge_points, schedule.current) == (["BCU101", "BCU102"], 10.0)


async def test_override_follows_the_vendor_algorithm(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A point in a shared schedule leaves it first; its own schedule is then edited."""
    both = [_device(hass, "BCU101"), _device(hass, "BCU102")]
    window = {"start_time": "08:00", "start_days": ["mon"], "stop_time": "18:00"}
    await _call(hass, "set_override_current", {"device_id": both, **window, "current": 10})
    await _call(hass, "set_override_current", {"device_id": both[:1], **window, "current": 8})
    assert _controls(simulator) == [
        "POST_SET_OVERRIDE_CURRENT",
        "POST_EDIT_OVERRIDE_CURRENT",  # the shared one keeps BCU102
        "POST_SET_OVERRIDE_CURRENT",
    ]
    assert _wire(simulator, "POST_EDIT_OVERRIDE_CURRENT")[0]["chargepoints"] == ["BCU102"]
    await _call(hass, "set_override_current", {"device_id": both[:1], **window, "current": 7})
    assert _controls(simulator)[3:] == ["POST_EDIT_OVERRIDE_CURRENT"]
    currents = {tuple(s.charge_points): s.current for s in simulator.schedules(TOKEN)}
    assert currents == {("BCU101",): 7.0, ("BCU102",): 10.0}


@pytest.mark.parametrize(
    ("current", "maximum"),
    [(5, "16"), (16.5, "16"), (21, "16")],
)
async def test_override_current_out_of_range(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    current: float,
    maximum: str,
) -> None:
    """Between 6 A and the lowest maximum of the points (16 A and 20 A here)."""
    err = await _invalid(
        hass,
        "set_override_current",
        {
            "device_id": [_device(hass, "BCU101"), _device(hass, "BCU102")],
            "start_time": "16:00",
            "start_days": ["mon"],
            "stop_time": "21:00",
            "current": current,
        },
    )
    assert err.translation_key == "current_out_of_range"
    assert err.translation_placeholders == {
        "current": f"{current:g}",
        "min": "6",
        "max": maximum,
    }
    assert _controls(simulator) == []


async def test_override_validation(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Malformed days and times of an override are refused, translated."""
    base = {
        "device_id": [_device(hass, "BCU101")],
        "start_time": "16:00",
        "start_days": ["mon"],
        "stop_time": "21:00",
        "current": 10,
    }
    err = await _invalid(hass, "set_override_current", {**base, "stop_days": ["someday"]})
    assert err.translation_key == "invalid_days"
    err = await _invalid(hass, "set_override_current", {**base, "start_time": "16:75"})
    assert err.translation_key == "invalid_time"
    assert _controls(simulator) == []


async def test_edit_override_current(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Only the given fields change; the rest keeps the schedule's values."""
    await _call(
        hass,
        "set_override_current",
        {
            "device_id": [_device(hass, "BCU101")],
            "start_time": "16:00",
            "start_days": ["mon"],
            "stop_time": "21:00",
            "stop_days": ["tue"],
            "current": 10,
        },
    )
    (schedule,) = simulator.schedules(TOKEN)
    await _call(
        hass,
        "edit_override_current",
        {"schedule_id": schedule.schedule_id, "current": 12, "start_days": ["sun"]},
    )
    assert _wire(simulator, "POST_EDIT_OVERRIDE_CURRENT") == [
        {
            "schedule_id": schedule.schedule_id,
            "chargepoints": ["BCU101"],
            "overridestarttime": "16:00",
            "overridestartdays": ["SU"],
            "overridestoptime": "21:00",
            "overridestopdays": ["TU"],
            "overridevalue": 12.0,
        }
    ]
    (edited,) = simulator.schedules(TOKEN)
    assert (edited.current, edited.start_days) == (12.0, ["SU"])

    err = await _invalid(hass, "edit_override_current", {"schedule_id": "999", "current": 8})
    assert err.translation_key == "unknown_schedule"
    assert err.translation_placeholders == {"schedule_id": "999"}
    err = await _invalid(
        hass, "edit_override_current", {"schedule_id": schedule.schedule_id, "current": 40}
    )
    assert err.translation_key == "current_out_of_range"
    assert len(simulator.commands("POST_EDIT_OVERRIDE_CURRENT")) == 1


async def test_edit_finds_a_schedule_made_elsewhere(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """A schedule made in the app after setup is found by reading the list again."""
    coordinator = coordinator_of(entry)
    saved = await coordinator.client.set_override_current(
        ["BCU102"],
        start_time=time(1, 0),
        start_days=[Weekday.MO],
        stop_time=time(2, 0),
        stop_days=[Weekday.MO],
        current=9,
    )
    lists = len(simulator.commands("LIST_OVERRIDE_CURRENT"))
    await _call(hass, "edit_override_current", {"schedule_id": saved.schedule_id, "current": 11})
    assert len(simulator.commands("LIST_OVERRIDE_CURRENT")) == lists + 1
    assert [s.current for s in simulator.schedules(TOKEN)] == [11.0]


async def test_clear_override_current(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """By device: the point leaves its schedule. By id: the whole schedule goes."""
    both = [_device(hass, "BCU101"), _device(hass, "BCU102")]
    window = {"start_time": "08:00", "start_days": ["mon"], "stop_time": "18:00"}
    await _call(hass, "set_override_current", {"device_id": both, **window, "current": 10})
    (schedule,) = simulator.schedules(TOKEN)

    await _call(hass, "clear_override_current", {"device_id": both[1]})
    assert _wire(simulator, "POST_EDIT_OVERRIDE_CURRENT")[0]["chargepoints"] == ["BCU101"]
    assert [s.charge_points for s in simulator.schedules(TOKEN)] == [["BCU101"]]

    await _call(hass, "clear_override_current", {"schedule_id": schedule.schedule_id})
    assert _wire(simulator, "POST_CLEAR_OVERRIDE_CURRENT") == [
        {"schedule_id": int(schedule.schedule_id)}
    ]
    assert simulator.schedules(TOKEN) == []

    start = len(simulator.received)
    await _call(hass, "clear_override_current", {"device_id": both})  # nothing left to clear
    assert _controls(simulator, start) == []

    err = await _invalid(hass, "clear_override_current", {"schedule_id": "4242"})
    assert err.translation_key == "unknown_schedule"


async def test_list_override_currents(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The account's schedules, fresh from the server, with devices and day names."""
    await _call(
        hass,
        "set_override_current",
        {
            "device_id": [_device(hass, "BCU102")],
            "start_time": "16:00",
            "start_days": ["mon", "fri"],
            "stop_time": "21:00",
            "current": 10,
        },
    )
    coordinator = coordinator_of(entry)
    await coordinator.async_set_current_limit("BCU101", 12)
    lists = len(simulator.commands("LIST_OVERRIDE_CURRENT"))
    response = await _call(
        hass, "list_override_currents", {"config_entry_id": entry.entry_id}, response=True
    )
    assert len(simulator.commands("LIST_OVERRIDE_CURRENT")) == lists + 1
    by_id = {s.schedule_id: s for s in simulator.schedules(TOKEN)}
    first, second = sorted(by_id, key=int)
    assert response == {
        "schedules": [
            {
                "schedule_id": first,
                "charge_points": ["BCU102"],
                "devices": [_device(hass, "BCU102")],
                "current": 10.0,
                "start_time": "16:00",
                "start_days": ["mon", "fri"],
                "stop_time": "21:00",
                "stop_days": ["mon", "fri"],
                "charge_current_limit": False,
            },
            {
                "schedule_id": second,
                "charge_points": ["BCU101"],
                "devices": [_device(hass, "BCU101")],
                "current": 12.0,
                "start_time": "00:00",
                "start_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "stop_time": "23:59",
                "stop_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "charge_current_limit": True,
            },
        ]
    }


async def test_list_charge_cards(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """The account's cards, fresh from the server (GET_CHARGE_CARDS, page size 100)."""
    calls = len(simulator.commands("GET_CHARGE_CARDS"))
    response = await _call(
        hass, "list_charge_cards", {"config_entry_id": entry.entry_id}, response=True
    )
    assert _wire(simulator, "GET_CHARGE_CARDS")[calls:] == [{"limit": 100}]
    assert response == {
        "cards": [
            {
                "uid": OWNER_UID,
                "id": "NL-BCU-123456-7",
                "name": "Owner card",
                "customer_name": "Test Owner",
                "valid": True,
            },
            {
                "uid": GUEST_UID,
                "id": "NL-BCU-654321-0",
                "name": "Guest card",
                "customer_name": "Guest",
                "valid": True,
            },
        ],
        "default_card": None,
    }


async def test_server_error_is_translated(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """An ERROR frame in reply to an override is reported, translated, not as a crash."""
    simulator.faults.error_next("POST_SET_OVERRIDE_CURRENT", 9, "Unknown error")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "set_override_current",
            {
                "device_id": [_device(hass, "BCU101")],
                "start_time": "16:00",
                "start_days": ["mon"],
                "stop_time": "21:00",
                "current": 10,
            },
        )
    assert err.value.translation_key == "server_unknown_error"
    assert err.value.translation_placeholders is None  # the code is only in the log
    assert simulator.schedules(TOKEN) == []


# --- targets ---------------------------------------------------------------------------------


ACTION_DATA: dict[str, dict[str, Any]] = {
    "start_charge_session": {},
    "stop_charge_session": {},
    "set_delayed_charging": {"days": ["mon"], "start_time": "17:00", "end_time": "23:00"},
    "set_price_based_charging": {"minimum_pct": 20},
    "boost": {},
    "set_override_current": {
        "start_time": "16:00",
        "start_days": ["mon"],
        "stop_time": "21:00",
        "current": 10,
    },
    "clear_override_current": {},
}


@pytest.mark.parametrize("service", list(ACTION_DATA))
async def test_device_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    service: str,
) -> None:
    """Unknown device, another integration's device, a grid, an unloaded account."""
    data = ACTION_DATA[service]
    err = await _invalid(hass, service, {"device_id": "nope", **data})
    assert (err.translation_key, err.translation_placeholders) == (
        "invalid_device",
        {"device_id": "nope"},
    )

    other_entry = MockConfigEntry(domain="other_brand")
    other_entry.add_to_hass(hass)
    lamp = dr.async_get(hass).async_get_or_create(
        config_entry_id=other_entry.entry_id, identifiers={("other_brand", "x")}, name="Lamp"
    )
    err = await _invalid(hass, service, {"device_id": lamp.id, **data})
    assert (err.translation_key, err.translation_placeholders) == (
        "not_a_charge_point",
        {"device": "Lamp"},
    )

    grid = _device(hass, f"{CUSTOMER_ID}_GRID-BCU101")
    err = await _invalid(hass, service, {"device_id": grid, **data})
    assert (err.translation_key, err.translation_placeholders) == (
        "not_a_charge_point",
        {"device": "Grid BCU101"},
    )

    device = _device(hass, "BCU101")
    await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    err = await _invalid(hass, service, {"device_id": device, **data})
    # No placeholder: the title is the account e-mail, and the error is logged.
    assert (err.translation_key, err.translation_placeholders) == ("entry_not_loaded", None)
    assert _controls(simulator) == []


@pytest.mark.parametrize("service", ["list_override_currents", "list_charge_cards"])
async def test_account_validation(
    hass: HomeAssistant, entry: MockConfigEntry, service: str
) -> None:
    """List actions need a loaded account of this integration."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, {"config_entry_id": "nope"}, response=True)
    assert err.value.translation_key == "invalid_config_entry"
    await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, service, {"config_entry_id": entry.entry_id}, response=True)
    assert err.value.translation_key == "entry_not_loaded"


async def test_one_schedule_cannot_span_accounts(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Charge points of two accounts in one override: refused before sending."""
    neighbour = MockConfigEntry(
        domain=DOMAIN,
        title="neighbour@example.com",
        unique_id="1002",
        data={CONF_API_TOKEN: "other-token", CONF_URL: simulator.url},
    )
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BINARY_SENSOR]):
        await setup_entry(hass, neighbour)
    err = await _invalid(
        hass,
        "set_override_current",
        {
            "device_id": [_device(hass, "BCU101"), _device(hass, "BCU900")],
            "start_time": "16:00",
            "start_days": ["mon"],
            "stop_time": "21:00",
            "current": 10,
        },
    )
    assert err.translation_key == "different_accounts"
    assert _controls(simulator) == []


async def test_not_connected(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Without a link nothing is sent and the user is told why."""
    coordinator = coordinator_of(entry)
    await simulator.faults.go_offline()
    await wait_for(hass, lambda: not coordinator.link_up)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "stop_charge_session", {"device_id": _device(hass, "BCU101")})
    assert err.value.translation_key == "not_connected"


# --- buttons that go with the actions -----------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # unlock: disabled by default
async def test_boost_and_unlock_buttons(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Boost works only while a delay holds the session, and says so; unlock sends UNLOCK_CONNECTOR.

    The boost button does not grey out without a word: pressed when nothing holds the
    session back, it explains that there is nothing to boost.
    """
    entry = make_entry(simulator)
    with patch("custom_components.ev_charge_points.PLATFORMS", [Platform.BUTTON]):
        await setup_entry(hass, entry)
    boost = "button.driveway_boost"
    coordinator = coordinator_of(entry)

    def boost_possible() -> bool:
        return coordinator.boost_possible(coordinator.data.charge_points["BCU101"])

    assert state_of(hass, boost) != "unavailable"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call("button", "press", {"entity_id": boost}, blocking=True)
    assert err.value.translation_key == "boost_not_possible"
    assert not simulator.commands("OVERRIDE_DELAYED_CHARGING_TIMEOUT")

    await _call(
        hass,
        "set_delayed_charging",
        {
            "device_id": _device(hass, "BCU101"),
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "start_time": "12:00",
            "end_time": "14:00",
        },
    )
    await wait_for(hass, boost_possible)
    await hass.services.async_call("button", "press", {"entity_id": boost}, blocking=True)
    assert _wire(simulator, "OVERRIDE_DELAYED_CHARGING_TIMEOUT") == [
        {"evse_id": "BCU101", "value": True}
    ]
    await wait_for(hass, lambda: not boost_possible())  # charging again
    assert state_of(hass, boost) != "unavailable"

    await hass.services.async_call(
        "button", "press", {"entity_id": "button.garage_unlock_connector"}, blocking=True
    )
    assert _wire(simulator, "UNLOCK_CONNECTOR") == [{"evse_id": "BCU102"}]


# --- texts -------------------------------------------------------------------------------------

VALIDATION_KEYS = [
    "invalid_device",
    "not_a_charge_point",
    "entry_not_loaded",
    "invalid_config_entry",
    "different_accounts",
    "current_out_of_range",
    "value_out_of_range",
    "invalid_days",
    "no_days",
    "invalid_time",
    "unknown_card",
    "unknown_schedule",
    "boost_not_possible",
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_action_texts_complete(language: str) -> None:
    """Every action and field of services.yaml, every error, trigger and condition has a text."""
    strings = json.loads((INTEGRATION / "translations" / f"{language}.json").read_text())
    described = load_yaml(str(INTEGRATION / "services.yaml"))
    icons = json.loads((INTEGRATION / "icons.json").read_text())["services"]
    for service in SERVICES:
        text = strings["services"][service]
        assert text["name"]
        assert text["description"]
        assert set(text["fields"]) == set(described[service]["fields"])
        assert all(field["name"] and field["description"] for field in text["fields"].values())
        assert icons[service]["service"].startswith("mdi:")
    assert set(strings["selector"]["weekday"]["options"]) == {
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    }
    for key in VALIDATION_KEYS:
        assert strings["exceptions"][key]["message"]
    assert set(strings["device_automation"]["trigger_type"]) == set(TRIGGER_TYPES)
    assert set(strings["device_automation"]["condition_type"]) == set(CONDITIONS)


async def test_set_price_based_charging_in_kwh(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: BlueCurrentSimulator
) -> None:
    """Expected and minimum kWh go as the older SET_PRICE_BASED_SETTINGS, with the departure."""
    await _call(
        hass,
        "set_price_based_charging",
        {
            "device_id": _device(hass, "BCU101"),
            "departure_time": "06:45",
            "expected_kwh": 24,
            "minimum_kwh": 7.5,
        },
    )
    assert _controls(simulator) == ["SET_PRICE_BASED_CHARGING", "SET_PRICE_BASED_SETTINGS"]
    assert _wire(simulator, "SET_PRICE_BASED_SETTINGS") == [
        {
            "evse_id": "BCU101",
            "expected_departure_time": "06:45",
            "expected_kwh": "24",
            "minimum_kwh": "7.5",
        }
    ]
    assert state_of(hass, "select.driveway_smart_charging_profile") == "price_based"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"expected_kwh": 24, "minimum_kwh": 5}, "kwh_settings_incomplete"),
        ({"departure_time": "06:45", "expected_kwh": 24}, "kwh_settings_incomplete"),
        (
            {"departure_time": "06:45", "expected_kwh": 5, "minimum_kwh": 8},
            "minimum_above_expected",
        ),
        (
            {"departure_time": "06:45", "expected_kwh": 5000, "minimum_kwh": 8},
            "value_out_of_range",
        ),
    ],
)
async def test_set_price_based_charging_in_kwh_rejects_bad_input(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: BlueCurrentSimulator,
    data: dict[str, Any],
    key: str,
) -> None:
    """Incomplete or inconsistent kWh figures are refused before anything is sent."""
    err = await _invalid(
        hass, "set_price_based_charging", {"device_id": _device(hass, "BCU101"), **data}
    )
    assert err.translation_key == key
    assert not simulator.commands("SET_PRICE_BASED_SETTINGS")
    assert not simulator.commands("SET_PRICE_BASED_CHARGING")


def test_action_forms_offer_what_users_can_pick() -> None:
    """Charge-point pickers list charge points only; cards offer "No card"; every selector valid.

    Home Assistant parses services.yaml with its own selector schemas and drops every form
    description when one selector is invalid (its time selector has no `no_second`).
    """
    services = load_yaml(str(INTEGRATION / "services.yaml"))
    fields = [
        (name, field)
        for service in services.values()
        for name, field in (service.get("fields") or {}).items()
    ]
    for _name, field in fields:
        selector.validate_selector(field["selector"])
    device_pickers = [field["selector"]["device"] for name, field in fields if name == "device_id"]
    assert device_pickers
    for picker in device_pickers:
        # Grid and account devices have no connectivity sensor: they are not offered.
        assert picker["entity"] == [{"domain": "binary_sensor", "device_class": "connectivity"}]
    card_fields = (("start_charge_session", "charge_card"), ("get_charging_sessions", "card"))
    for service, name in card_fields:
        card = services[service]["fields"][name]["selector"]["select"]
        assert card["options"] == [NO_CARD_OPTION]
        assert card["custom_value"] is True


async def test_the_picker_filter_keeps_charge_points_only(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """What the device pickers filter on: every charge point, and nothing else, has it."""
    entities = er.async_get(hass)
    with_online = {
        item.device_id
        for item in er.async_entries_for_config_entry(entities, entry.entry_id)
        if item.domain == "binary_sensor"
        and (item.device_class or item.original_device_class) == "connectivity"
    }
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    charge_points = {device.id for device in devices if device.serial_number}
    assert charge_points == {_device(hass, "BCU101"), _device(hass, "BCU102")}
    assert with_online == charge_points  # grid and account devices are not offered
