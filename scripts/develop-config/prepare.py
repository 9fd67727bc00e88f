"""Prepare a Home Assistant config dir for scripts/develop and the browser test.

`prepare.py config --config-dir DIR [--manual] --sim-url URL` runs before Home Assistant starts:
it copies the configuration template, links the repo's custom_components into DIR, creates the
owner user with advanced mode on, marks onboarding done, and points existing EV Charge Points
entries at the simulator (or, with --manual, removes them so the config flow can be walked).

`prepare.py add-entry --ha-url URL --sim-url URL` runs once Home Assistant answers: it logs in
and walks the integration's own config flow over the REST API, so the entry is exactly what a
user would get from the UI.

Only Home Assistant's own storage helpers and stdlib HTTP are used: nothing here needs network
beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from homeassistant.auth import auth_manager_from_config
from homeassistant.auth.const import GROUP_ID_ADMIN
from homeassistant.auth.providers import homeassistant as hass_auth
from homeassistant.components.onboarding import STORAGE_KEY as ONBOARDING_KEY
from homeassistant.components.onboarding import STORAGE_VERSION as ONBOARDING_VERSION
from homeassistant.components.onboarding.const import STEPS as ONBOARDING_STEPS
from homeassistant.config_entries import STORAGE_KEY as ENTRIES_KEY
from homeassistant.config_entries import STORAGE_VERSION as ENTRIES_VERSION
from homeassistant.config_entries import STORAGE_VERSION_MINOR as ENTRIES_VERSION_MINOR

# The integration's entry data uses these same keys (see its const.py).
from homeassistant.const import CONF_API_TOKEN, CONF_URL, EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from vecharge_entry import add_vecharge_entry, add_vecharge_parser, simulator_url

DOMAIN = "ev_charge_points"
REPO = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).resolve().parent / "configuration.yaml"
HTTP_TIMEOUT = 30.0


def _say(message: str) -> None:
    print(f"develop: {message}", file=sys.stderr, flush=True)


# --- before start -------------------------------------------------------------------------------


def _link_custom_components(config_dir: Path) -> None:
    """Make the repo's integration loadable without copying it (edits take effect on restart)."""
    link = config_dir / "custom_components"
    target = Path(os.path.relpath(REPO / "custom_components", config_dir))
    if link.is_symlink() and link.readlink() == target:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.symlink_to(target, target_is_directory=True)


async def _ensure_owner(hass: HomeAssistant, name: str, username: str, password: str) -> str:
    """Create the owner user with a password login, like onboarding does; return its id."""
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    provider = hass.auth.auth_providers[0]
    assert isinstance(provider, hass_auth.HassAuthProvider)  # noqa: S101  # configured just above
    await provider.async_initialize()
    owner = next((user for user in await hass.auth.async_get_users() if user.is_owner), None)
    if owner is not None:
        return owner.id
    user = await hass.auth.async_create_user(name, group_ids=[GROUP_ID_ADMIN])
    try:
        await provider.async_add_auth(username, password)
    except hass_auth.InvalidUser:
        # A login of that name exists without an owner behind it: reset its password.
        await provider.async_change_password(username, password)
    credentials = await provider.async_get_or_create_credentials({"username": username})
    await hass.auth.async_link_user(user, credentials)
    _say(f"created owner user {username!r}")
    return user.id


async def _write_store(hass: HomeAssistant, key: str, version: int, data: dict[str, Any]) -> None:
    await Store[dict[str, Any]](hass, version, key, private=True).async_save(data)


async def _point_entries_at_simulator(
    hass: HomeAssistant, sim_url: str, *, remove: bool, vecharge_url: str | None = None
) -> None:
    """Update (or remove) this integration's stored entries; Home Assistant is not running."""
    store = Store[dict[str, Any]](
        hass, ENTRIES_VERSION, ENTRIES_KEY, minor_version=ENTRIES_VERSION_MINOR, private=True
    )
    stored = await store.async_load()
    if not stored:
        return
    entries: list[dict[str, Any]] = stored.get("entries", [])
    ours = [entry for entry in entries if entry.get("domain") == DOMAIN]
    if not ours:
        return
    if remove:
        stored["entries"] = [entry for entry in entries if entry.get("domain") != DOMAIN]
        _say(f"--manual: removed {len(ours)} EV Charge Points entry from the config dir")
    else:
        # go-e entries keep their host: the go-e simulator listens on the same port every run;
        # veCharge entries point at the veCharge simulator.
        for entry in ours:
            if entry.get("data", {}).get("brand") != "goe":
                entry["data"][CONF_URL] = simulator_url(entry["data"], sim_url, vecharge_url)
    await store.async_save(stored)


async def _prepare(args: argparse.Namespace) -> None:
    config_dir: Path = args.config_dir.resolve()
    (config_dir / ".storage").mkdir(parents=True, exist_ok=True)
    if not (config_dir / "configuration.yaml").exists():
        shutil.copyfile(TEMPLATE, config_dir / "configuration.yaml")
    _link_custom_components(config_dir)

    hass = HomeAssistant(str(config_dir))
    await asyncio.gather(dr.async_load(hass), er.async_load(hass))
    user_id = await _ensure_owner(hass, "Demo", args.username, args.password)
    await _write_store(hass, ONBOARDING_KEY, ONBOARDING_VERSION, {"done": list(ONBOARDING_STEPS)})
    # The config flow shows "Server URL" only in advanced mode.
    user_data_key = f"frontend.user_data_{user_id}"
    user_store = Store[dict[str, Any]](hass, 1, user_data_key)
    user_data = await user_store.async_load() or {}
    user_data.setdefault("core", {})["showAdvanced"] = True
    await user_store.async_save(user_data)
    await _point_entries_at_simulator(
        hass, args.sim_url, remove=args.manual, vecharge_url=args.vecharge_url
    )
    # The auth store saves with a delay, flushed on the final-write event; this hass never
    # started (async_stop would return at once), so fire that event ourselves.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    await hass.async_stop(force=True)


# --- after start --------------------------------------------------------------------------------


def _request(
    url: str,
    *,
    data: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
) -> Any:
    headers = {}
    body: bytes | None = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310  # our own http URL
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        detail = err.read().decode(errors="replace")[:500]
        raise SystemExit(f"develop: {request.method} {url} -> {err.code}: {detail}") from err


def login(ha_url: str, username: str, password: str) -> str:
    """Log in through the same login flow the frontend uses; return an access token."""
    client_id = f"{ha_url}/"
    flow = _request(
        f"{ha_url}/auth/login_flow",
        data={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{ha_url}/?auth_callback=1",
        },
    )
    result = _request(
        f"{ha_url}/auth/login_flow/{flow['flow_id']}",
        data={"client_id": client_id, "username": username, "password": password},
    )
    if result.get("type") != "create_entry":
        raise SystemExit(f"develop: login failed: {result.get('errors')}")
    tokens = _request(
        f"{ha_url}/auth/token",
        form={"grant_type": "authorization_code", "code": result["result"], "client_id": client_id},
    )
    return str(tokens["access_token"])


def _add_entry(args: argparse.Namespace) -> None:
    ha_url = args.ha_url.rstrip("/")
    token = login(ha_url, args.username, args.password)
    entries = _request(f"{ha_url}/api/config/config_entries/entry?domain={DOMAIN}", token=token)
    if entries:
        _say(f"EV Charge Points entry exists ({entries[0]['state']}), pointing at {args.sim_url}")
        return
    flow = _request(
        f"{ha_url}/api/config/config_entries/flow",
        data={"handler": DOMAIN, "show_advanced_options": True},
        token=token,
    )
    if flow.get("type") == "menu":
        # The first step chooses the brand.
        flow = _request(
            f"{ha_url}/api/config/config_entries/flow/{flow['flow_id']}",
            data={"next_step_id": "bluecurrent"},
            token=token,
        )
    if flow.get("type") != "form":
        raise SystemExit(f"develop: config flow did not start: {flow}")
    result = _request(
        f"{ha_url}/api/config/config_entries/flow/{flow['flow_id']}",
        data={CONF_API_TOKEN: args.api_token, CONF_URL: args.sim_url},
        token=token,
    )
    if result.get("type") != "create_entry":
        raise SystemExit(f"develop: config flow did not create an entry: {result}")
    # The flow returns before setup has finished; wait so the banner means "ready".
    deadline = time.monotonic() + HTTP_TIMEOUT
    state = result["result"].get("state")
    while state != "loaded" and time.monotonic() < deadline:
        time.sleep(0.5)
        entries = _request(f"{ha_url}/api/config/config_entries/entry?domain={DOMAIN}", token=token)
        state = entries[0]["state"] if entries else None
    _say(f"added EV Charge Points entry {result['title']!r} ({state})")


def _add_goe_entry(args: argparse.Namespace) -> None:
    """Add the go-e simulator's charger through the flow: brand menu, go-e, on my network."""
    ha_url = args.ha_url.rstrip("/")
    token = login(ha_url, args.username, args.password)
    flow = _request(
        f"{ha_url}/api/config/config_entries/flow", data={"handler": DOMAIN}, token=token
    )
    for choice in ("goe", "goe_local"):
        flow = _request(
            f"{ha_url}/api/config/config_entries/flow/{flow['flow_id']}",
            data={"next_step_id": choice},
            token=token,
        )
    result = _request(
        f"{ha_url}/api/config/config_entries/flow/{flow['flow_id']}",
        data={"host": args.host},
        token=token,
    )
    if result.get("type") == "abort" and result.get("reason") == "already_configured":
        _say(f"go-e entry exists, at {args.host}")
        return
    if result.get("type") != "create_entry":
        raise SystemExit(f"develop: the go-e config flow did not create an entry: {result}")
    _say(f"added go-e entry {result['title']!r}")


def main() -> None:
    """Parse the command line and run one step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--sim-url", required=True)
    parser.add_argument("--vecharge-url", default=None, help="the veCharge simulator's URL")
    commands = parser.add_subparsers(dest="command", required=True)
    config = commands.add_parser("config", help="prepare the config dir (Home Assistant stopped)")
    config.add_argument("--config-dir", type=Path, required=True)
    config.add_argument("--manual", action="store_true", help="remove EV Charge Points entries")
    add_entry = commands.add_parser("add-entry", help="add the entry through the config flow")
    add_entry.add_argument("--ha-url", required=True)
    add_entry.add_argument("--api-token", required=True)
    add_goe = commands.add_parser("add-goe-entry", help="add the go-e simulator's charger")
    add_goe.add_argument("--ha-url", required=True)
    add_goe.add_argument("--host", required=True)
    add_vecharge_parser(commands)
    args = parser.parse_args()
    if args.command == "config":
        asyncio.run(_prepare(args))
    elif args.command == "add-goe-entry":
        _add_goe_entry(args)
    elif args.command == "add-vecharge-entry":
        add_vecharge_entry(args, login=login, request=_request, say=_say)
    else:
        _add_entry(args)


if __name__ == "__main__":
    main()
