"""Run the go-e simulator standalone.

    python -m simulators.goe --scenario simulators/goe/scenarios/demo.json
        --host 127.0.0.1 --port 0 --realtime   (one line)

Prints the main URL (cloud by Host header, /control), each device's local URL and cloud host
name, then serves until Ctrl-C or SIGTERM. The scenario's cloud keys are simulator fixtures and
are not printed.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from simulators.common.cli import run, write

from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, Scenario
from .server import GoeSimulator

if TYPE_CHECKING:
    import asyncio


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulators.goe", description="go-e simulator")
    parser.add_argument(
        "--scenario",
        type=Path,
        default=SCENARIO_DIR / "demo.json",
        help="scenario JSON file (default: the bundled demo)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="main port (0: any free port)")
    parser.add_argument(
        "--realtime", action="store_true", help="let the simulated clock follow wall time"
    )
    parser.add_argument("--family", choices=("v4", "pro"), default="v4")
    parser.add_argument("--cloud-auth-status", type=int, choices=(401, 403), default=401)
    parser.add_argument("--partial-set-status", type=int, choices=(200, 500), default=500)
    parser.add_argument("--legacy-model-status", action="store_true", help="keep modelStatus <= 24")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace, stop: asyncio.Event) -> None:
    options = SimulatorOptions(
        family=args.family,
        realtime=args.realtime,
        cloud_auth_status=args.cloud_auth_status,
        partial_set_status=args.partial_set_status,
        legacy_model_status=args.legacy_model_status,
    )
    scenario = Scenario.from_file(args.scenario)
    async with GoeSimulator(scenario, options=options, host=args.host, port=args.port) as sim:
        write(f"go-e simulator listening on {sim.url}")
        write(f"  control:  {sim.control_url}")
        write(f"  clock:    {'realtime' if args.realtime else 'manual (/control advance)'}")
        for serial, device in sim.devices.items():
            write(
                f"  {device.kind} {serial}: local {sim.local_url(serial)}  "
                f"cloud host {sim.cloud_host(serial)} -> {sim.url}"
            )
        write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    run(functools.partial(_serve, args))


if __name__ == "__main__":
    main()
