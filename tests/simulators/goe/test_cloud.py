"""The simulator's cloud surface (§3): host names, tokens, codes, Last-Modified."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

import pytest

from simulators.goe import SimulatorOptions

from .helpers import CLOUD_KEY, CONTROLLER_KEY, control, get_json

if TYPE_CHECKING:
    import aiohttp

    from simulators.goe import GoeSimulator

BEARER = {"Authorization": f"Bearer {CLOUD_KEY}"}


async def test_bearer_or_query_token(raw: aiohttp.ClientSession, cloud: str) -> None:
    status, body, headers = await get_json(
        raw, f"{cloud}/api/status?filter=car,amp", headers=BEARER
    )
    assert status == 200
    assert set(body) == {"car", "amp"}
    assert parsedate_to_datetime(headers["Last-Modified"]) is not None
    status, body, _ = await get_json(
        raw, f"{cloud}/api/status", params={"token": CLOUD_KEY, "filter": "amp"}
    )
    assert (status, body) == (200, {"amp": 16})


@pytest.mark.parametrize(
    ("goe_options", "expected"),
    [(SimulatorOptions(), 401), (SimulatorOptions(cloud_auth_status=403), 403)],
)
async def test_wrong_token(raw: aiohttp.ClientSession, cloud: str, expected: int) -> None:
    status, _, _ = await get_json(
        raw, f"{cloud}/api/status", headers={"Authorization": "Bearer wrong"}
    )
    assert status == expected
    status, _, _ = await get_json(raw, f"{cloud}/api/status")
    assert status == expected


async def test_cloud_api_off_gives_403(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, cloud: str
) -> None:
    await control(raw, goe_sim.control_url, action="set_cloud_enabled", enabled=False)
    status, _, _ = await get_json(raw, f"{cloud}/api/status", headers=BEARER)
    assert status == 403


async def test_set_gives_202_or_422(raw: aiohttp.ClientSession, cloud: str) -> None:
    status, body, _ = await get_json(raw, f"{cloud}/api/set?amp=12", headers=BEARER)
    assert (status, body) == (202, {"amp": True})
    status, body, _ = await get_json(
        raw, f"{cloud}/api/set", params={"token": CLOUD_KEY, "amp": "12", "alw": "true"}
    )
    assert status == 202
    status, body, _ = await get_json(raw, f"{cloud}/api/set?alw=true", headers=BEARER)
    assert status == 422
    assert isinstance(body["alw"], str)


async def test_offline_device_404_then_403(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, cloud: str
) -> None:
    await control(raw, goe_sim.control_url, action="go_offline")
    status, body, _ = await get_json(raw, f"{cloud}/api/status?filter=amp", headers=BEARER)
    assert (status, body) == (200, {"amp": 16})  # the cached status is still fresh
    await goe_sim.clock.advance(31)
    status, _, _ = await get_json(raw, f"{cloud}/api/status?filter=amp", headers=BEARER)
    assert status == 404  # older than the default age of 30 s
    status, _, _ = await get_json(raw, f"{cloud}/api/status?filter=amp&age=60", headers=BEARER)
    assert status == 200
    status, _, _ = await get_json(raw, f"{cloud}/api/set?amp=10", headers=BEARER)
    assert status == 404
    await goe_sim.clock.advance(120)
    status, _, _ = await get_json(raw, f"{cloud}/api/status?filter=amp", headers=BEARER)
    assert status == 403


async def test_last_modified_stays_at_the_last_upload_while_offline(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, cloud: str
) -> None:
    await control(raw, goe_sim.control_url, action="go_offline")
    _, _, first = await get_json(raw, f"{cloud}/api/status?filter=amp", headers=BEARER)
    await goe_sim.clock.advance(10)
    _, _, second = await get_json(raw, f"{cloud}/api/status?filter=amp", headers=BEARER)
    assert first["Last-Modified"] == second["Last-Modified"]


@pytest.mark.parametrize("pattern", ["api.v3", "api.controller"])
async def test_controller_answers_on_both_hosts(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator, pattern: str
) -> None:
    url = f"http://{goe_sim.cloud_host('123456', pattern)}:{goe_sim.port}/api/status?filter=typ"
    status, body, _ = await get_json(
        raw, url, headers={"Authorization": f"Bearer {CONTROLLER_KEY}"}
    )
    assert (status, body) == (200, {"typ": "controller"})


@pytest.mark.parametrize(
    "goe_options", [SimulatorOptions(controller_cloud_hosts=("api.controller",))]
)
async def test_controller_host_pattern_is_configurable(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = f"http://{goe_sim.cloud_host('123456')}:{goe_sim.port}/api/status"
    status, _, _ = await get_json(raw, url, headers={"Authorization": f"Bearer {CONTROLLER_KEY}"})
    assert status == 404


async def test_charger_is_not_on_the_controller_host(
    raw: aiohttp.ClientSession, goe_sim: GoeSimulator
) -> None:
    url = f"http://{goe_sim.cloud_host('000001', 'api.controller')}:{goe_sim.port}/api/status"
    status, _, _ = await get_json(raw, url, headers=BEARER)
    assert status == 404
