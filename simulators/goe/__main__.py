"""Run the go-e simulator standalone.

    python -m simulators.goe --scenario simulators/goe/scenarios/demo.json
        --host 127.0.0.1 --port 0 --realtime   (one line)

Prints the main URL (cloud by Host header, /control), each device's local URL and cloud host
name, then serves until Ctrl-C or SIGTERM. The scenario's cloud keys are simulator fixtures and
are not printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.common.cli import clock_mode, run, simulator_parser, write

from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, Scenario
from .server import GoeSimulator

if TYPE_CHECKING:
    import argparse
    import asyncio


def _parser() -> argparse.ArgumentParser:
    parser = simulator_parser("goe", "go-e simulator", scenario_dir=SCENARIO_DIR, port=0)
    parser.add_argument("--family", choices=("v4", "pro"), default="v4")
    parser.add_argument("--cloud-auth-status", type=int, choices=(401, 403), default=401)
    parser.add_argument("--partial-set-status", type=int, choices=(200, 500), default=500)
    parser.add_argument("--legacy-model-status", action="store_true", help="keep modelStatus <= 24")
    return parser


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
        write(f"  clock:    {clock_mode(args)}")
        for serial, device in sim.devices.items():
            write(
                f"  {device.kind} {serial}: local {sim.local_url(serial)}  "
                f"cloud host {sim.cloud_host(serial)} -> {sim.url}"
            )
        write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    run(_parser(), _serve, argv)


if __name__ == "__main__":
    main()
