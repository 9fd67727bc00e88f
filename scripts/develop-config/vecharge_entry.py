"""The veCharge part of prepare.py: its demo entry and which simulator an entry points at.

`prepare.py add-vecharge-entry --ha-url URL --vecharge-url URL --token T --charger-id ID` walks
the config flow (brand menu > veCharge) over the REST API, like `add-entry` does for Blue
Current, so the entry is what a user gets from the UI.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

DOMAIN = "ev_charge_points"
BRAND = "vecharge"
WAIT_LOADED = 30.0


def simulator_url(data: dict[str, Any], sim_url: str, vecharge_url: str | None) -> str:
    """The simulator an existing entry must use: veCharge's for a veCharge entry."""
    if data.get("brand") == BRAND:
        return vecharge_url or str(data.get("url", ""))
    return sim_url


def add_vecharge_parser(commands: Any) -> None:
    """The `add-vecharge-entry` sub-command."""
    command = commands.add_parser("add-vecharge-entry", help="add the veCharge demo charger")
    command.add_argument("--ha-url", required=True)
    command.add_argument("--token", required=True)
    command.add_argument("--charger-id", required=True)


def add_vecharge_entry(
    args: argparse.Namespace,
    *,
    login: Callable[[str, str, str], str],
    request: Callable[..., Any],
    say: Callable[[str], None],
) -> None:
    """Add the veCharge charger through the config flow unless an entry for it exists."""
    ha_url = args.ha_url.rstrip("/")
    token = login(ha_url, args.username, args.password)
    entries_url = f"{ha_url}/api/config/config_entries/entry?domain={DOMAIN}"
    title = f"veCharge {args.charger_id}"
    if any(entry["title"] == title for entry in request(entries_url, token=token)):
        say(f"veCharge entry for {args.charger_id} exists, pointing at {args.vecharge_url}")
        return
    flow_url = f"{ha_url}/api/config/config_entries/flow"
    flow = request(flow_url, data={"handler": DOMAIN, "show_advanced_options": True}, token=token)
    flow = request(f"{flow_url}/{flow['flow_id']}", data={"next_step_id": BRAND}, token=token)
    result = request(
        f"{flow_url}/{flow['flow_id']}",
        data={"api_token": args.token, "charger_id": args.charger_id, "url": args.vecharge_url},
        token=token,
    )
    if result.get("type") != "create_entry":
        raise SystemExit(f"develop: the veCharge config flow did not create an entry: {result}")
    deadline = time.monotonic() + WAIT_LOADED
    state = result["result"].get("state")
    while state != "loaded" and time.monotonic() < deadline:
        time.sleep(0.5)
        entries = request(entries_url, token=token)
        state = next((e["state"] for e in entries if e["title"] == result["title"]), None)
    say(f"added veCharge entry {result['title']!r} ({state})")
