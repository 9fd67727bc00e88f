"""Settings and actions: RECEIVED_ then STATUS_, their failures and effects (§3.7, §8 #11-14)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from simulators.bluecurrent import BlueCurrentSimulator

    from .helpers import Live

TIMESTAMP = re.compile(r"^\d{8} \d{2}:\d{2}:\d{2}$")


async def _charge_point(live: Live, evse_id: str) -> dict:
    points = (await live.request("GET_CHARGE_POINTS", "CHARGE_POINTS"))["data"]
    return next(p for p in points if p["evse_id"] == evse_id)


@pytest.mark.parametrize(
    ("command", "key", "value"),
    [
        ("SET_PLUG_AND_CHARGE", "plug_and_charge", False),
        ("SET_PLUG_AND_CHARGE", "plug_and_charge", True),
        ("SET_PUBLIC_CHARGING", "public_charging", True),
        ("SET_PUBLIC_CHARGING", "public_charging", False),
    ],
)
async def test_setting_replies_and_effect(live: Live, command: str, key: str, value: bool) -> None:
    await live.send(command, evse_id="BCU101", value=value)
    received = await live.recv()
    assert received == {
        "object": f"RECEIVED_{command}",
        "success": True,
        "error": "",
        "evse_id": "BCU101",
    }
    status = await live.recv()
    assert status == {
        "object": f"STATUS_{command}",
        "success": True,
        "flow_id": "",
        "evse_id": "BCU101",
        "result": {"setting": f"set {str(value).lower()}"},
        "error": "",
    }
    assert (await _charge_point(live, "BCU101"))[key]["value"] is value
    settings = await live.request("GET_CH_SETTINGS", "CH_SETTINGS", evse_id="BCU101")
    assert settings["data"][key]["value"] is value


async def test_setting_failure_keeps_value_and_result(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    simulator.faults.fail_next("SET_PLUG_AND_CHARGE", "TIMEOUT")
    await live.send("SET_PLUG_AND_CHARGE", evse_id="BCU101", value=False)
    assert (await live.recv())["success"] is True
    status = await live.expect("STATUS_SET_PLUG_AND_CHARGE")
    assert status["success"] is False
    assert status["error"] == "TIMEOUT"
    assert status["result"] == {"setting": "set true"}  # still present, unchanged value
    assert (await _charge_point(live, "BCU101"))["plug_and_charge"]["value"] is True


async def test_setting_rejected_at_received(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.fail_next("SET_PUBLIC_CHARGING", "busy", stage="received")
    await live.send("SET_PUBLIC_CHARGING", evse_id="BCU101", value=True)
    assert await live.recv() == {
        "object": "RECEIVED_SET_PUBLIC_CHARGING",
        "success": False,
        "error": "busy",
        "evse_id": "BCU101",
    }
    await live.no_frame(0.15)
    assert simulator.charge_point("BCU101").public_charging is False


async def test_setting_with_bad_value(live: Live) -> None:
    await live.send("SET_PLUG_AND_CHARGE", evse_id="BCU101", value="yes")
    assert (await live.recv())["error"] == 9


async def test_flow_id_is_echoed(live: Live) -> None:
    await live.send("SOFT_RESET", evse_id="BCU102", flow_id="abc-123")
    received = await live.recv()
    assert received["object"] == "RECEIVED_SOFT_RESET"
    assert received["flow_id"] == "abc-123"
    status = await live.recv()
    assert status["object"] == "STATUS_SOFT_RESET"
    assert status["flow_id"] == "abc-123"


async def test_block_and_unblock_push_activity(live: Live) -> None:
    await live.send("SET_INOPERATIVE", evse_id="BCU102")
    assert (await live.recv())["object"] == "RECEIVED_SET_INOPERATIVE"
    status = await live.recv()
    assert status["object"] == "STATUS_SET_INOPERATIVE"
    assert status["success"] is True
    push = await live.recv()
    assert push["object"] == "CH_STATUS"
    assert push["evse_id"] == "BCU102"
    assert push["data"]["activity"] == "unavailable"
    assert (await _charge_point(live, "BCU102"))["activity"] == "unavailable"

    await live.send("SET_OPERATIVE", evse_id="BCU102")
    assert (await live.recv())["object"] == "RECEIVED_SET_OPERATIVE"
    assert (await live.recv())["object"] == "STATUS_SET_OPERATIVE"
    push = await live.recv()
    assert push["data"]["activity"] == "available"


async def test_blocking_a_charging_point_ends_the_session(
    simulator: BlueCurrentSimulator, live: Live
) -> None:
    await live.send("SET_INOPERATIVE", evse_id="BCU101")
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    assert push["data"]["activity"] == "unavailable"
    assert push["data"]["vehicle_status"] == "B"
    assert push["data"]["actual_p1"] == 0
    assert simulator.charge_point("BCU101").session is None


@pytest.mark.parametrize("command", ["SOFT_RESET", "REBOOT", "UNLOCK_CONNECTOR"])
async def test_simple_actions(live: Live, command: str) -> None:
    await live.send(command, evse_id="BCU101")
    assert await live.recv() == {
        "object": f"RECEIVED_{command}",
        "success": True,
        "error": "",
        "evse_id": "BCU101",
    }
    assert await live.recv() == {
        "object": f"STATUS_{command}",
        "success": True,
        "flow_id": "",
        "evse_id": "BCU101",
        "result": {},
        "error": "",
    }


async def test_status_comes_after_result_delay(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.options.result_delay = 0.15
    await live.send("REBOOT", evse_id="BCU101")
    assert (await live.recv())["object"] == "RECEIVED_REBOOT"
    assert await live.frames_for(0.08) == []
    assert (await live.recv())["object"] == "STATUS_REBOOT"


@pytest.mark.parametrize("card", ["BCU-APP", "04A1B2C3D4E5F6"])
async def test_start_session_after_plug_in(
    simulator: BlueCurrentSimulator, live: Live, card: str
) -> None:
    await simulator.plug_in("BCU102", phases=1, max_current=16)
    plugged = await live.expect("CH_STATUS", evse_id="BCU102")
    assert plugged["data"]["vehicle_status"] == "B"  # no plug & charge on BCU102
    assert plugged["data"]["activity"] == "available"

    await live.send("START_SESSION", evse_id="BCU102", session_token=card)
    assert await live.recv() == {
        "object": "RECEIVED_START_SESSION",
        "success": True,
        "error": "",
        "evse_id": "BCU102",
    }
    assert await live.recv() == {
        "object": "STATUS_START_SESSION",
        "success": True,
        "flow_id": "",
        "evse_id": "BCU102",
        "result": {},
        "error": "",
    }
    push = await live.recv()
    assert push["object"] == "CH_STATUS"
    data = push["data"]
    assert data["activity"] == "charging"
    assert data["vehicle_status"] == "C"
    assert data["actual_p1"] > 15
    assert data["actual_p2"] == data["actual_p3"] == 0  # a one-phase car
    assert data["actual_kwh"] == 0
    assert TIMESTAMP.match(data["start_datetime"])
    assert simulator.charge_point("BCU102").session.card_uid == card  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("setup", "card", "error"),
    [
        ("plug", "UNKNOWN-UID", "REJECTED"),
        ("none", "BCU-APP", "REJECTED"),  # no car
        ("offline", "BCU-APP", "TIMEOUT"),
        ("block", "BCU-APP", "REJECTED"),
    ],
)
async def test_start_session_failures(
    simulator: BlueCurrentSimulator, live: Live, setup: str, card: str, error: str
) -> None:
    if setup != "none":
        await simulator.plug_in("BCU102")
    if setup == "offline":
        await simulator.set_offline("BCU102")
    if setup == "block":
        simulator.charge_point("BCU102").operative = False
    live.seen.clear()
    await live.send("START_SESSION", evse_id="BCU102", session_token=card)
    assert (await live.expect("RECEIVED_START_SESSION"))["success"] is True
    status = await live.expect("STATUS_START_SESSION")
    assert status["success"] is False
    assert status["error"] == error
    assert status["evse_id"] == "BCU102"
    assert simulator.charge_point("BCU102").session is None


async def test_start_session_on_a_charging_point_is_rejected(live: Live) -> None:
    await live.send("START_SESSION", evse_id="BCU101", session_token="BCU-APP")
    assert (await live.expect("STATUS_START_SESSION"))["error"] == "REJECTED"


async def test_stop_session_without_session(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.send("STOP_SESSION", evse_id="BCU102")
    assert await live.recv() == {
        "object": "RECEIVED_STOP_SESSION",
        "success": False,
        "error": "no active session for chargepoint: BCU102",
        "evse_id": "BCU102",
    }
    await live.no_frame(0.15)


async def test_stop_session(simulator: BlueCurrentSimulator, live: Live) -> None:
    before = (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["data"]
    await simulator.clock.advance(60)
    live.seen.clear()
    await live.send("STOP_SESSION", evse_id="BCU101")
    assert (await live.expect("RECEIVED_STOP_SESSION"))["success"] is True
    status = await live.expect("STATUS_STOP_SESSION")
    assert status["success"] is True
    assert status["error"] == ""
    push = await live.expect("CH_STATUS", evse_id="BCU101")
    data = push["data"]
    assert data["activity"] == "available"
    assert data["vehicle_status"] == "B"  # the car stays plugged in
    assert data["actual_p1"] == 0
    assert data["stop_datetime"] > before["start_datetime"]
    assert data["start_datetime"] == before["start_datetime"]
    assert data["actual_kwh"] > before["actual_kwh"]  # the finished session's energy stays


@pytest.mark.parametrize("error", ["REJECTED", "TIMEOUT"])
async def test_session_failures_via_fault_hook(
    simulator: BlueCurrentSimulator, live: Live, error: str
) -> None:
    simulator.faults.fail_next("STOP_SESSION", error)
    await live.send("STOP_SESSION", evse_id="BCU101")
    assert (await live.recv())["success"] is True
    status = await live.recv()
    assert status["object"] == "STATUS_STOP_SESSION"
    assert status["success"] is False
    assert status["error"] == error
    assert status["evse_id"] == "BCU101"
    assert simulator.charge_point("BCU101").session is not None


async def test_fail_next_without_any_reply(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.fail_next("START_SESSION", stage="none")
    await live.send("START_SESSION", evse_id="BCU102", session_token="BCU-APP")
    await live.no_frame(0.15)
    # only the next one
    await live.send("START_SESSION", evse_id="BCU102", session_token="BCU-APP")
    assert (await live.recv())["object"] == "RECEIVED_START_SESSION"


async def test_actions_time_out_while_offline(simulator: BlueCurrentSimulator, live: Live) -> None:
    await simulator.set_offline("BCU102")
    await live.send("SOFT_RESET", evse_id="BCU102")
    status = await live.expect("STATUS_SOFT_RESET")
    assert status["success"] is False
    assert status["error"] == "TIMEOUT"


async def test_plug_and_charge_card(simulator: BlueCurrentSimulator, live: Live) -> None:
    await live.send(
        "SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id="BCU101", token_uid="0499887766554433"
    )
    status = await live.recv()
    assert status["object"] == "STATUS_SET_PLUG_AND_CHARGE_CHARGE_CARD"
    assert status["success"] is True
    point = await _charge_point(live, "BCU101")
    assert point["plug_and_charge_card"]["uid"] == "0499887766554433"
    assert point["plug_and_charge_card"]["name"] == "Guest card"

    await live.send("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id="BCU101", token_uid="NOPE")
    status = await live.recv()
    assert status["success"] is False
    assert simulator.charge_point("BCU101").plug_and_charge_card == "0499887766554433"

    await live.send("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id="BCU101", token_uid="BCU-APP")
    assert (await live.recv())["success"] is True
    assert (await _charge_point(live, "BCU101"))["plug_and_charge_card"]["uid"] == "BCU-APP"


async def test_error_next(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.error_next("GET_CH_STATUS", 9, "Unknown error")
    await live.send("GET_CH_STATUS", evse_id="BCU101")
    assert await live.recv() == {"object": "ERROR", "error": 9, "message": "Unknown error"}
    assert (await live.request("GET_CH_STATUS", "CH_STATUS", evse_id="BCU101"))["evse_id"]


async def test_fail_next_on_a_data_request(simulator: BlueCurrentSimulator, live: Live) -> None:
    simulator.faults.fail_next("GET_GRID_STATUS", "boom")
    await live.send("GET_GRID_STATUS", evse_id="BCU101")
    assert await live.recv() == {"object": "ERROR", "error": 9, "message": "boom"}
