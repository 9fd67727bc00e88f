"""End-to-end test in a real browser: a newcomer adds EV Charge Points by hand.

Starts `scripts/develop --manual` on free ports with a throw-away config dir, then drives Debian's
Chromium with Playwright: log in, add the integration from Settings > Devices & services with the
simulator's demo token and URL, open the charging charge point's device page, see a live value
change, flip a switch, checking that the simulator received the command, see the charge current
limit's number, block the charge point (Activity "Blocked", not "Unavailable") and read the
sessions calendar in Dutch. Screenshots for the README go to docs/screenshots/.

Run it with scripts/test-browser (which installs Chromium and Playwright first). Exit status 0 on
success; on failure the step, the browser's last screenshot and the logs' tails are printed and
the run directory is kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Page, sync_playwright
from websockets.sync.client import connect as ws_connect

from tests_e2e import goe_steps, vecharge_steps

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Route

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("EVCP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
USERNAME = "demo"
PASSWORD = "demo1234"  # noqa: S105  # the demo login scripts/develop creates
API_TOKEN = "demo-token"  # noqa: S105  # the simulator's demo account
CHARGING_POINT = "BCU200001"  # "Driveway" in scenarios/demo.json: charging
SWITCH_NAME = "Plug and charge"  # on in the demo scenario
SWITCH_KEY = "plug_and_charge"  # its CH_SETTINGS key
LIVE_SENSOR = "Session energy"
# Every scrolled element (the page scrolls inside the frontend's shadow roots) back to the top.
SCROLL_TO_TOP = """() => {
    const walk = root => {
        for (const element of root.querySelectorAll("*")) {
            if (element.scrollTop) element.scrollTop = 0;
            if (element.shadowRoot) walk(element.shadowRoot);
        }
    };
    walk(document);
    window.scrollTo(0, 0);
}"""
LIMIT_NAME = "Charge current limit"
BLOCK_NAME = "Block"
BLOCKED_TEXT = "Blocked"  # the Activity of a blocked charge point, never "Unavailable"
# Home Assistant's language to Dutch, the events of the last 30 days, and back to English.
CALENDAR_IN_DUTCH = """async entityId => {
    const hass = document.querySelector("home-assistant").hass;
    await hass.callWS({type: "config/core/update", language: "nl"});
    try {
        const end = new Date();
        const start = new Date(end.getTime() - 30 * 86400 * 1000);
        return await hass.callApi(
            "GET",
            `calendars/${entityId}?start=${start.toISOString()}&end=${end.toISOString()}`,
        );
    } finally {
        await hass.callWS({type: "config/core/update", language: "en"});
    }
}"""

START_ATTEMPTS = 2
START_TIMEOUT = 90.0  # scripts/setup + simulator + Home Assistant; ~8 s when warm
UI_TIMEOUT_MS = 30_000
LIVE_TIMEOUT = 45.0  # the simulator pushes a charging point's status every 10 s
STOP_TIMEOUT = 40.0

# 1x1 transparent PNG: the brand images come from brands.home-assistant.io, which this offline
# test must not reach; an empty image looks better in the screenshots than a broken one.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


class E2EError(Exception):
    """A step of the test failed; the message says what the user would have seen."""


def log(message: str) -> None:
    """Progress on stderr, with the time since the start."""
    sys.stderr.write(f"[{time.monotonic() - T0:6.1f}s] {message}\n")
    sys.stderr.flush()


T0 = time.monotonic()


def free_port() -> int:
    """A port nobody listens on right now (the start is retried if someone takes it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, or a note that it is missing."""
    if not path.exists():
        return f"({path} does not exist)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Develop:
    """A `scripts/develop --manual` run in its own process group."""

    run_dir: Path
    ha_port: int = field(default_factory=free_port)
    sim_port: int = field(default_factory=free_port)
    goe_sim_port: int = field(default_factory=free_port)
    vecharge_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def config_dir(self) -> Path:
        """Home Assistant's config dir of this run."""
        return self.run_dir / "config"

    @property
    def output(self) -> Path:
        """scripts/develop's own output (Home Assistant's console included)."""
        return self.run_dir / "develop.log"

    @property
    def ha_url(self) -> str:
        """Where the frontend is served."""
        return f"http://{HOST}:{self.ha_port}"

    @property
    def sim_url(self) -> str:
        """What the user types as Server URL."""
        return f"ws://{HOST}:{self.sim_port}/haserver"

    @property
    def control_url(self) -> str:
        """The simulator's control websocket."""
        return f"ws://{HOST}:{self.sim_port}/control"

    def start(self) -> None:
        """Start scripts/develop and wait until it printed its banner."""
        env = {
            **os.environ,
            "EVCP_HA_PORT": str(self.ha_port),
            "EVCP_SIM_PORT": str(self.sim_port),
            "EVCP_GOE_SIM_PORT": str(self.goe_sim_port),
            "EVCP_VECHARGE_PORT": str(self.vecharge_port),
            "EVCP_CONFIG_DIR": str(self.config_dir),
        }
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603  # our own script, fixed arguments
                [str(REPO / "scripts" / "develop"), "--manual"],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise E2EError(f"scripts/develop exited with {self.process.returncode}")
            if "Home Assistant:" in self.output.read_text(errors="replace"):
                return
            time.sleep(0.5)
        raise E2EError(f"scripts/develop printed no banner within {START_TIMEOUT:.0f}s")

    def stop(self) -> None:
        """Stop scripts/develop and everything it started (the whole process group)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log("scripts/develop did not stop in time: killing its process group")
        # Whatever is left in the group (nothing, normally) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def control(self, action: str, **arguments: Any) -> dict[str, Any]:
        """One request on the simulator's control websocket."""
        with ws_connect(self.control_url, open_timeout=10) as ws:
            ws.send(json.dumps({"action": action, **arguments}))
            reply: dict[str, Any] = json.loads(ws.recv(timeout=10))
        return reply

    def setting(self, evse_id: str, key: str) -> object:
        """A charge point setting as the simulator holds it, read like a client reads it.

        Independent of Home Assistant: a one-shot VALIDATE_API_TOKEN, then HELLO and
        GET_CH_SETTINGS on a socket of our own (the simulator allows a second connection).
        """
        with ws_connect(self.sim_url, open_timeout=10) as ws:
            ws.send(json.dumps({"command": "VALIDATE_API_TOKEN", "token": API_TOKEN}))
            auth = "Token " + str(json.loads(ws.recv(timeout=10))["token"])
        with ws_connect(self.sim_url, open_timeout=10) as ws:
            ws.send(json.dumps({"command": "HELLO", "header": "e2e", "Authorization": auth}))
            ws.send(
                json.dumps(
                    {"command": "GET_CH_SETTINGS", "evse_id": evse_id, "Authorization": auth}
                )
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # pushes may come first
                frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
                data = frame.get("data")
                if frame.get("object") == "CH_SETTINGS" and data.get("evse_id") == evse_id:
                    value = data[key]
                    return value.get("value") if isinstance(value, dict) else value
        raise E2EError(f"the simulator sent no CH_SETTINGS for {evse_id}")

    def dump_logs(self) -> None:
        """The tails of every log, for a failure report."""
        for name, path in (
            ("scripts/develop", self.output),
            ("home-assistant.log", self.config_dir / "home-assistant.log"),
            ("simulator.log", self.config_dir / "simulator.log"),
        ):
            sys.stderr.write(f"----- {name} (last lines) -----\n{tail(path)}\n")


def start_develop(run_dir: Path) -> Develop:
    """Start scripts/develop, with a second try on fresh ports (a port may be taken meanwhile)."""
    for attempt in range(1, START_ATTEMPTS + 1):
        attempt_dir = run_dir / f"attempt-{attempt}"
        attempt_dir.mkdir()
        develop = Develop(attempt_dir)
        log(f"starting scripts/develop --manual (HA :{develop.ha_port}, sim :{develop.sim_port})")
        try:
            develop.start()
        except E2EError as err:
            develop.dump_logs()
            develop.stop()
            if attempt == START_ATTEMPTS:
                raise
            log(f"{err}; trying again")
            continue
        return develop
    raise AssertionError  # unreachable: the loop returns or raises


@contextlib.contextmanager
def step(page: Page | None, title: str, failures: Path) -> Iterator[None]:
    """Log a step; on failure keep a screenshot of what the browser showed."""
    log(title)
    try:
        yield
    except Exception as err:
        if page is not None:
            shot = failures / "failure.png"
            with contextlib.suppress(Exception):
                page.screenshot(path=shot)
                log(f"browser screenshot at the failure: {shot}")
        raise E2EError(f"step '{title}' failed: {err}") from err


def route_external(route: Route) -> None:
    """Nothing leaves 127.0.0.1: brand images get a blank PNG, anything else is refused."""
    if route.request.url.startswith("https://brands.home-assistant.io/"):
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
    else:
        route.abort()


def sensor_value(page: Page, name: str) -> str:
    """The displayed value of a sensor row on the device page, e.g. '7.61 kWh'."""
    row = page.locator("hui-sensor-entity-row", has_text=name)
    return row.locator("hui-generic-entity-row").inner_text().strip()


def switch_is_on(page: Page, name: str) -> bool:
    """Whether a switch row's toggle is on."""
    toggle = page.locator("hui-toggle-entity-row", has_text=name).locator("ha-switch")
    return bool(toggle.evaluate("element => element.checked"))


def check_limit_box(page: Page) -> None:
    """The limit is a box that shows its number (a slider showed none and cut the name off)."""
    row = page.locator("hui-number-entity-row", has_text=LIMIT_NAME)
    shown = row.locator("input").input_value()
    if not re.fullmatch(r"\d+(\.\d+)?", shown):
        raise E2EError(f"{LIMIT_NAME} shows {shown!r}, not a number of amperes")
    log(f"  {LIMIT_NAME}: {shown} A")


def wait_for_sensor(page: Page, name: str, *, wanted: bool, text: str, seconds: float = 20) -> str:
    """Poll a sensor row until its value is (`wanted`) or is not `text`; the last value."""
    deadline = time.monotonic() + seconds
    shown = sensor_value(page, name)
    while (shown == text) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        shown = sensor_value(page, name)
    if (shown == text) != wanted:
        raise E2EError(f"{name} shows {shown!r} after {seconds:.0f}s")
    return shown


def check_blocked(page: Page) -> None:
    """Block and unblock from the device page; Activity shows the translated 'Blocked'."""
    toggle = (
        page.locator("hui-toggle-entity-row")
        .filter(has=page.get_by_text(BLOCK_NAME, exact=True))
        .locator("ha-switch")
    )
    toggle.click()
    shown = wait_for_sensor(page, "Activity", wanted=True, text=BLOCKED_TEXT)
    log(f"  Activity: {shown}")
    page.evaluate(SCROLL_TO_TOP)
    page.screenshot(path=SCREENSHOTS / "device-blocked.png")
    toggle.click()  # unblock again
    log(f"  Activity: {wait_for_sensor(page, 'Activity', wanted=False, text=BLOCKED_TEXT)}")


def check_calendar_in_dutch(page: Page) -> None:
    """With Home Assistant in Dutch, the past sessions read Dutch, with decimal commas."""
    events = page.evaluate(CALENDAR_IN_DUTCH, "calendar.driveway_charging_sessions")
    past = [event for event in events if "kWh" in event["summary"]]
    if not past:
        raise E2EError(f"the calendar has no past sessions: {events}")
    summary, description = past[0]["summary"], past[0]["description"]
    if not re.fullmatch(r"Driveway: \d+,\d\d kWh(, € \d+,\d\d)?", summary):
        raise E2EError(f"the event title is not Dutch: {summary!r}")
    if not description.startswith("Energie: ") or "\n\nKosten: € " not in description:
        raise E2EError(f"the event text is not Dutch: {description!r}")
    log(f"  {summary} | {description!r}")


def run(develop: Develop, failures: Path) -> None:  # noqa: PLR0915  # one linear story
    """The user's path, step by step."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(develop.run_dir / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 860},
        )
        try:
            context.set_default_timeout(UI_TIMEOUT_MS)
            context.route(re.compile(rf"^https?://(?!{re.escape(HOST)}[:/])"), route_external)
            page = context.new_page()

            with step(page, "log in as demo", failures):
                page.goto(f"{develop.ha_url}/")
                page.locator("input[name=username]").fill(USERNAME)
                page.locator("input[name=password]").fill(PASSWORD)
                page.screenshot(path=SCREENSHOTS / "login.png")
                page.get_by_role("button", name="Log in").click()
                page.locator("ha-sidebar").wait_for()

            with step(page, "Settings > Devices & services > Add integration", failures):
                page.locator("ha-sidebar").get_by_text("Settings", exact=True).click()
                page.get_by_text("Devices & services", exact=True).first.click()
                page.wait_for_url("**/config/integrations/**")
                page.get_by_role("button", name="Add integration").click()
                page.get_by_label("Search for a brand name").fill("EV Charge Points")
                page.get_by_text("EV Charge Points", exact=True).click()

            with step(page, "choose the brand Blue Current", failures):
                page.get_by_text("Blue Current", exact=True).click()

            with step(page, "enter the demo token and the simulator URL", failures):
                page.locator("input[name=api_token]").fill(API_TOKEN)
                url_field = page.locator("input[name=url]")
                url_field.wait_for()  # shown because the demo user has advanced mode on
                url_field.fill(develop.sim_url)
                page.screenshot(path=SCREENSHOTS / "config-flow.png")
                page.get_by_role("button", name="Submit").click()
                page.get_by_title("Devices created").wait_for()
                names = page.get_by_label("Device name").evaluate_all(
                    "fields => fields.map(field => field.value)"
                )
                if not {"Driveway", "Carport"} <= set(names):
                    raise E2EError(f"expected the Driveway and Carport devices, got {names}")
                page.screenshot(path=SCREENSHOTS / "integration-added.png")
                page.get_by_role("button", name="Skip and finish").click()

            with step(page, "open the Driveway device page", failures):
                page.get_by_text("EV Charge Points", exact=True).first.click()
                page.get_by_text("Driveway", exact=True).first.click()
                page.wait_for_url("**/config/devices/device/**")
                page.get_by_text(f"Serial number: {CHARGING_POINT}").wait_for()
                page.locator("hui-sensor-entity-row", has_text="Activity").get_by_text(
                    "Charging"
                ).wait_for()

            with step(page, f"see '{LIVE_SENSOR}' change while the car charges", failures):
                first = sensor_value(page, LIVE_SENSOR)
                log(f"  {LIVE_SENSOR}: {first}")
                deadline = time.monotonic() + LIVE_TIMEOUT
                current = first
                while current == first and time.monotonic() < deadline:
                    page.wait_for_timeout(1000)
                    current = sensor_value(page, LIVE_SENSOR)
                if current == first:
                    raise E2EError(f"{LIVE_SENSOR} stayed at {first} for {LIVE_TIMEOUT:.0f}s")
                log(f"  {LIVE_SENSOR}: {current}")

            with step(page, f"switch '{SWITCH_NAME}' off; the simulator gets it", failures):
                if not switch_is_on(page, SWITCH_NAME):
                    raise E2EError(f"{SWITCH_NAME} is off before the test; the demo has it on")
                if develop.setting(CHARGING_POINT, SWITCH_KEY) is not True:
                    raise E2EError(f"the simulator has {SWITCH_KEY} off before the test")
                before = int(develop.control("stats")["received"])
                page.locator("hui-toggle-entity-row", has_text=SWITCH_NAME).locator(
                    "ha-switch"
                ).click()
                # The integration keeps no optimistic state: the toggle stays off only once the
                # simulator confirmed (STATUS_SET_PLUG_AND_CHARGE).
                page.wait_for_function(
                    """name => {
                        const hass = document.querySelector("home-assistant").hass;
                        return Object.values(hass.states).some(s =>
                            s.entity_id.startsWith("switch.") && s.state === "off" &&
                            s.attributes.friendly_name === "Driveway " + name);
                    }""",
                    arg=SWITCH_NAME,
                )
                page.wait_for_timeout(1500)  # the state must not bounce back
                if switch_is_on(page, SWITCH_NAME):
                    raise E2EError(f"{SWITCH_NAME} went back on: the command was not confirmed")
                after = int(develop.control("stats")["received"])
                if after <= before:
                    raise E2EError(f"the simulator received no command ({before} -> {after})")
                held = develop.setting(CHARGING_POINT, SWITCH_KEY)
                if held is not False:
                    raise E2EError(f"the simulator still has {SWITCH_KEY}={held}")
                log(
                    f"  simulator received {after - before} command(s) since the click; "
                    f"it now holds {SWITCH_KEY}={held}"
                )

            with step(page, "the charge current limit shows its number", failures):
                check_limit_box(page)

            with step(page, "screenshot of the device page", failures):
                # Tall enough for every card; reloaded so the page is scrolled to the top.
                page.set_viewport_size({"width": 1280, "height": 1600})
                page.reload()
                page.get_by_text(f"Serial number: {CHARGING_POINT}").wait_for()
                page.locator("hui-sensor-entity-row", has_text=LIVE_SENSOR).wait_for()
                page.wait_for_timeout(1000)  # let the cards finish rendering
                page.evaluate(SCROLL_TO_TOP)  # the frontend keeps the scroll across a load
                page.screenshot(path=SCREENSHOTS / "device.png")

            with step(page, "block Driveway: Activity says 'Blocked', not 'Unavailable'", failures):
                check_blocked(page)

            with step(page, "the sessions calendar speaks Dutch", failures):
                check_calendar_in_dutch(page)
            goe_steps.run(
                page,
                develop.ha_url,
                develop.goe_sim_port,
                lambda title: step(page, title, failures),
                SCREENSHOTS,
            )
            vecharge_url = f"http://{HOST}:{develop.vecharge_port}"
            vecharge_steps.run(
                page,
                ha_url=develop.ha_url,
                sim_url=vecharge_url,
                step=step,
                failures=failures,
                screenshots=SCREENSHOTS,
            )
        finally:
            with contextlib.suppress(Exception):  # a failure report matters more than this
                context.close()


def _terminated(signum: int, _frame: object) -> None:
    raise E2EError(f"terminated by signal {signum} (scripts/test-browser's time limit?)")


def main() -> int:
    """Run the test; print where it failed and why."""
    # SIGTERM (the time limit) unwinds like a failure, so everything started gets stopped.
    signal.signal(signal.SIGTERM, _terminated)
    run_dir = Path(tempfile.mkdtemp(prefix="evcp-e2e-"))
    failures = run_dir
    develop: Develop | None = None
    ok = False
    try:
        develop = start_develop(run_dir)
        run(develop, failures)
        ok = True
    except E2EError as err:
        log(f"FAILED: {err}")
    except Exception as err:  # noqa: BLE001  # report anything with the logs, then fail
        log(f"FAILED: {type(err).__name__}: {err}")
    finally:
        if develop is not None:
            if not ok:
                develop.dump_logs()
            log("stopping scripts/develop")
            develop.stop()
    if ok:
        shutil.rmtree(run_dir, ignore_errors=True)
        log(f"PASSED; screenshots in {SCREENSHOTS.relative_to(REPO)}/")
        return 0
    log(f"kept {run_dir} for inspection")
    return 1


if __name__ == "__main__":
    sys.exit(main())
