"""The go-e part of the browser test: add the go-e simulator's charger by hand, see it live.

Called from browser_test.run() after the Blue Current steps, on the same logged-in page:
Settings > Devices & services > Add integration > EV Charge Points > go-e > On my network,
the simulator's address as host; then the charger's device page, where unplugging the car
on the simulator shows within seconds (the integration polls a small set of keys every 9 s
while a car is connected).
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, Any

from websockets.sync.client import connect as ws_connect

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from pathlib import Path

    from playwright.sync_api import Page

HOST = "127.0.0.1"
CHARGER = "000001"  # "Garage" in simulators/goe/scenarios/demo.json: charging
CHARGER_NAME = "Garage"
CHANGE_TIMEOUT = 30.0  # a poll every 9 s with a car connected


def _control(port: int, action: str, **arguments: Any) -> dict[str, Any]:
    with ws_connect(f"ws://{HOST}:{port}/control", open_timeout=10) as ws:
        ws.send(json.dumps({"action": action, **arguments}))
        reply: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return reply


def run(
    page: Page,
    ha_url: str,
    goe_port: int,
    step: Callable[[str], AbstractContextManager[None]],
    screenshots: Path,
) -> None:
    """Add the go-e charger through the UI and see a live change on its device page."""
    host = f"{HOST}:{goe_port}"

    with step("go-e: Add integration > EV Charge Points > go-e > On my network"):
        page.goto(f"{ha_url}/config/integrations/dashboard")
        page.get_by_role("button", name="Add integration").click()
        page.get_by_label("Search for a brand name").fill("EV Charge Points")
        # In the dialog: the integrations page behind it has an "EV Charge Points" card too.
        page.locator("dialog-add-integration").get_by_text("EV Charge Points", exact=True).click()
        page.get_by_text("go-e", exact=True).click()
        page.get_by_text("On my network (local API)", exact=True).click()

    with step(f"go-e: enter the simulator's address {host}"):
        page.locator("input[name=host]").fill(host)
        page.screenshot(path=screenshots / "goe-config-flow.png")
        page.get_by_role("button", name="Submit").click()
        page.get_by_title(re.compile(r"^Devices? created$")).wait_for()  # one device: singular
        names = page.get_by_label("Device name").evaluate_all(
            "fields => fields.map(field => field.value)"
        )
        if CHARGER_NAME not in names:
            msg = f"expected the {CHARGER_NAME} device, got {names}"
            raise AssertionError(msg)
        page.get_by_role("button", name="Skip and finish").click()

    with step(f"go-e: open the {CHARGER_NAME} device page"):
        page.goto(f"{ha_url}/config/devices/dashboard")
        page.get_by_text(CHARGER_NAME, exact=True).first.click()
        page.wait_for_url("**/config/devices/device/**")
        page.get_by_text(f"Serial number: {CHARGER}").wait_for()
        page.locator("hui-sensor-entity-row", has_text="Activity").get_by_text(
            "Charging"
        ).wait_for()

    with step("go-e: unplug the car on the simulator; the page shows it"):
        _control(goe_port, "unplug", serial=CHARGER)
        deadline = time.monotonic() + CHANGE_TIMEOUT
        row = page.locator("hui-sensor-entity-row", has_text="Activity")
        while "Charging" in row.inner_text() and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        if "Charging" in row.inner_text():
            msg = f"Activity still shows Charging {CHANGE_TIMEOUT:.0f}s after unplugging"
            raise AssertionError(msg)
        page.screenshot(path=screenshots / "goe-device.png")
