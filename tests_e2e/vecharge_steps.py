"""The veCharge part of the browser test.

Add a charger through the UI, see its power change, switch it off and on. `browser_test.py`
calls `run` at the end of its story, on the same logged-in page. The simulator (started by
scripts/develop on `EVCP_VECHARGE_PORT`) is checked over its /control websocket, so a toggle
that only moved in the browser does not pass.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from websockets.sync.client import connect as ws_connect

if TYPE_CHECKING:
    import contextlib
    from collections.abc import Callable
    from pathlib import Path

    from playwright.sync_api import Page

TOKEN = "demo-token"  # noqa: S105  # the veCharge simulator's demo user
CHARGER_ID = "demo-home"  # off and plugged in, in simulators/vecharge/scenarios/demo.json
DEVICE_NAME = f"veCharge {CHARGER_ID}"
SWITCH_ENTITY = "switch.vecharge_demo_home_charging"
POWER_ENTITY = "sensor.vecharge_demo_home_power"
LIVE_TIMEOUT_MS = 20_000  # the demo simulator logs every 2 s while the charger is on
# After a switch-off the server closes the socket; the charger must stay "off", not unavailable.
AFTER_OFF_MS = 3000


class VeChargeStepError(Exception):
    """A veCharge step failed; the message says what the user would have seen."""


def _control(url: str, action: str) -> dict[str, Any]:
    with ws_connect(f"{url.replace('http', 'ws', 1)}/control", open_timeout=10) as ws:
        ws.send(json.dumps({"action": action}))
        reply: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return reply


def _sim_status(url: str) -> str:
    return str(_control(url, "stats")["chargers"][CHARGER_ID]["status"])


def _wait_state(page: Page, entity_id: str, wanted: str) -> None:
    page.wait_for_function(
        """([entityId, wanted]) => {
            const state = document.querySelector("home-assistant").hass.states[entityId];
            return state !== undefined && state.state === wanted;
        }""",
        arg=[entity_id, wanted],
    )


def _state(page: Page, entity_id: str) -> str:
    return str(
        page.evaluate(
            "id => document.querySelector('home-assistant').hass.states[id]?.state", entity_id
        )
    )


def _toggle(page: Page) -> None:
    page.locator("hui-toggle-entity-row", has_text="Charging").locator("ha-switch").click()


def run(
    page: Page,
    *,
    ha_url: str,
    sim_url: str,
    step: Callable[[Page | None, str, Path], contextlib.AbstractContextManager[None]],
    failures: Path,
    screenshots: Path,
) -> None:
    """The veCharge user's path, step by step."""
    with step(page, "add a veCharge charger: brand menu > veCharge > token, charger id", failures):
        page.goto(f"{ha_url}/config/integrations/dashboard")
        page.get_by_role("button", name="Add integration").click()
        page.get_by_label("Search for a brand name").fill("EV Charge Points")
        page.get_by_text("EV Charge Points", exact=True).click()
        page.get_by_text("veCharge", exact=True).click()
        page.locator("input[name=api_token]").fill(TOKEN)
        page.locator("input[name=charger_id]").fill(CHARGER_ID)
        page.locator("input[name=url]").fill(sim_url)
        page.screenshot(path=screenshots / "vecharge-config-flow.png")
        page.get_by_role("button", name="Submit").click()
        page.get_by_role("button", name="Skip and finish").wait_for()  # "Device created"
        names = page.get_by_label("Device name").evaluate_all("fields => fields.map(f => f.value)")
        if DEVICE_NAME not in names:
            raise VeChargeStepError(f"expected the device {DEVICE_NAME}, got {names}")
        page.get_by_role("button", name="Skip and finish").click()

    with step(page, "open the veCharge device page", failures):
        device_id = page.evaluate(
            """name => Object.values(document.querySelector("home-assistant").hass.devices)
                .find(device => device.name === name)?.id""",
            DEVICE_NAME,
        )
        if not device_id:
            raise VeChargeStepError(f"no device {DEVICE_NAME} in Home Assistant")
        page.goto(f"{ha_url}/config/devices/device/{device_id}")
        page.locator("hui-toggle-entity-row", has_text="Charging").wait_for()
        _wait_state(page, SWITCH_ENTITY, "off")

    with step(page, "switch Charging on; the power changes", failures):
        before = _state(page, POWER_ENTITY)
        _toggle(page)
        _wait_state(page, SWITCH_ENTITY, "on")
        if _sim_status(sim_url) != "ON":
            raise VeChargeStepError("the simulator's charger is not on after the toggle")
        page.wait_for_function(
            """([entityId, before]) => {
                const state = document.querySelector("home-assistant").hass.states[entityId];
                return state !== undefined && state.state !== before && Number(state.state) > 0;
            }""",
            arg=[POWER_ENTITY, before],
            timeout=LIVE_TIMEOUT_MS,
        )
        page.screenshot(path=screenshots / "vecharge-device.png")

    with step(page, "switch Charging off: off, not unavailable (the socket closed)", failures):
        _toggle(page)
        _wait_state(page, SWITCH_ENTITY, "off")
        if _sim_status(sim_url) != "OFF":
            raise VeChargeStepError("the simulator's charger is not off after the toggle")
        page.wait_for_timeout(AFTER_OFF_MS)
        if (shown := _state(page, SWITCH_ENTITY)) != "off":
            raise VeChargeStepError(f"after the switch-off the switch shows {shown}")

    with step(page, "switch Charging on again after the reconnect", failures):
        _toggle(page)
        _wait_state(page, SWITCH_ENTITY, "on")
        if _sim_status(sim_url) != "ON":
            raise VeChargeStepError("the simulator's charger is not on after the second toggle")
