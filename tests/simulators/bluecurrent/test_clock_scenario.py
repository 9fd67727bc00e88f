"""SimClock and scenario loading/generation."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from simulators.bluecurrent import BlueCurrentSimulator, Scenario, SimClock, SimulatorOptions
from simulators.bluecurrent.physics import format_timestamp
from simulators.bluecurrent.zone import AMSTERDAM

if TYPE_CHECKING:
    from pathlib import Path

START = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # 23:00 CET, the night DST starts


async def test_clock_set_and_advance_in_steps() -> None:
    clock = SimClock(START, max_step=5)
    steps: list[float] = []

    async def tick(seconds: float) -> None:
        steps.append(seconds)

    unsubscribe = clock.subscribe(tick)
    await clock.advance(12)
    assert steps == [5, 5, 2]
    assert clock.now() == START + timedelta(seconds=12)
    await clock.advance(3, step=1)
    assert steps[3:] == [1, 1, 1]
    unsubscribe()
    await clock.advance(10)
    assert len(steps) == 6
    clock.set(START)
    assert clock.now() == START
    with pytest.raises(ValueError, match="forward"):
        await clock.advance(-1)
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 1, 1))  # noqa: DTZ001


async def test_clock_local_time_across_dst() -> None:
    clock = SimClock(START)
    assert clock.local_now(AMSTERDAM).strftime("%H:%M %Z") == "23:00 CET"
    await clock.advance(4 * 3600)  # 02:00 UTC = 04:00 CEST
    assert clock.local_now(AMSTERDAM).strftime("%H:%M %Z") == "04:00 CEST"
    assert format_timestamp(clock.now()) == "20260329 04:00:00"
    assert format_timestamp(None) == ""


async def test_default_clock_starts_at_wall_time() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    clock = SimClock()
    assert before <= clock.now() <= datetime.now(UTC)
    assert clock.now().tzinfo is UTC


async def test_realtime_clock_follows_wall_time() -> None:
    clock = SimClock(START)
    clock.start_realtime(interval=0.02)
    assert clock.realtime
    await asyncio.sleep(0.15)
    await clock.stop_realtime()
    assert not clock.realtime
    moved = (clock.now() - START).total_seconds()
    assert 0.05 <= moved <= 1.0


async def test_realtime_option_runs_the_clock(socket_enabled: None) -> None:
    clock = SimClock(START)
    async with BlueCurrentSimulator(options=SimulatorOptions(realtime=True), clock=clock) as sim:
        energy = sim.charge_point("BCU101").session_kwh
        await asyncio.sleep(0.25)
        assert clock.now() > START
        assert sim.charge_point("BCU101").session_kwh > energy
    assert not clock.realtime  # stopped with the simulator


def test_bundled_scenarios() -> None:
    test = Scenario.builtin("test")
    owner = test.accounts[0]
    assert owner.api_token == "test-token"
    assert owner.customer_id == "1001"
    assert owner.email == "owner@example.com"
    assert [p.evse_id for p in owner.charge_points] == ["BCU101", "BCU102"]
    assert {p.grid_id for p in owner.charge_points} == {"GRID-BCU101"}
    assert len(owner.cards) == 2
    assert all(card.uid for card in owner.cards)
    bcu101 = owner.charge_points[0]
    assert bcu101.vehicle is not None
    assert bcu101.vehicle.phases == 3
    assert bcu101.vehicle.charging
    assert owner.charge_points[1].vehicle is None

    demo = Scenario.builtin("demo")
    assert [a.api_token for a in demo.accounts] == ["demo-token"]
    points = demo.accounts[0].charge_points
    assert len(points) == 2
    assert sum(1 for p in points if p.vehicle is not None and p.vehicle.charging) == 1
    assert demo.accounts[0].cards
    assert demo.accounts[0].grids


def test_scenario_rejects_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "accounts": [
                    {
                        "api_token": "t",
                        "customer_id": "1",
                        "email": "a@b.c",
                        "charge_points": [{"evse_id": "X", "max_usuage": 16}],
                    }
                ]
            }
        )
    )
    with pytest.raises(ValueError, match="max_usuage"):
        Scenario.from_file(path)


def test_scenario_adds_implicit_grids_and_checks_ids() -> None:
    scenario = Scenario.from_dict(
        {
            "accounts": [
                {
                    "api_token": "t",
                    "customer_id": "1",
                    "email": "a@b.c",
                    "charge_points": [{"evse_id": "X"}],
                }
            ]
        }
    )
    assert scenario.accounts[0].charge_points[0].grid_id == "GRID-X"
    assert [g.id for g in scenario.accounts[0].grids] == ["GRID-X"]
    with pytest.raises(ValueError, match="duplicate"):
        Scenario.from_dict(
            {
                "accounts": [
                    {
                        "api_token": "t",
                        "customer_id": "1",
                        "email": "a@b.c",
                        "charge_points": [{"evse_id": "X"}, {"evse_id": "X"}],
                    }
                ]
            }
        )
    round_trip = Scenario.from_dict(Scenario.builtin("test").to_dict())
    assert round_trip == Scenario.builtin("test")


def test_generate_for_benchmarks() -> None:
    scenario = Scenario.generate(40, charging_fraction=0.25, seed=3)
    assert len(scenario.accounts) == 1
    points = scenario.accounts[0].charge_points
    assert len(points) == 40
    assert len({p.evse_id for p in points}) == 40
    assert sum(1 for p in points if p.vehicle is not None) == 10
    assert Scenario.generate(40, charging_fraction=0.25, seed=3) == scenario
    assert Scenario.generate(40, charging_fraction=0.25, seed=4) != scenario


async def test_generated_scenario_runs(socket_enabled: None) -> None:
    clock = SimClock(START)
    scenario = Scenario.generate(50, charging_fraction=0.5, seed=1)
    async with BlueCurrentSimulator(scenario, clock=clock) as sim:
        await clock.advance(60)
        charging = [
            p
            for p in (sim.charge_point(s.evse_id) for s in scenario.accounts[0].charge_points)
            if p.session is not None
        ]
        assert len(charging) == 25
        assert all(p.session_kwh > 0 for p in charging)
