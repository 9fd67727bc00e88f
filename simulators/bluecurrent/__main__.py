"""Run the simulator standalone.

    python -m simulators.bluecurrent --scenario simulators/bluecurrent/scenarios/demo.json
        --host 127.0.0.1 --port 8765 --realtime   (one line)

Prints the URLs and the scenario's API tokens (simulator fixtures, not secrets), then serves
until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from simulators.common.cli import run, write

from .scenario import SCENARIO_DIR, Scenario
from .server import BlueCurrentSimulator, SimulatorOptions

if TYPE_CHECKING:
    import asyncio


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.bluecurrent", description="Blue Current cloud simulator"
    )
    parser.add_argument(
        "--scenario",
        type=Path,
        default=SCENARIO_DIR / "demo.json",
        help="scenario JSON file (default: the bundled demo)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--realtime", action="store_true", help="let the simulated clock follow wall time"
    )
    parser.add_argument(
        "--print-tokens",
        action="store_true",
        help="print only the API tokens, one a line, and keep serving",
    )
    parser.add_argument("--request-limit", type=int, default=None, help="daily request budget")
    parser.add_argument("--smart-charging-replies", choices=("status", "none"), default="status")
    parser.add_argument("--reject-second-connection", action="store_true")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace, stop: asyncio.Event) -> None:
    scenario = Scenario.from_file(args.scenario)
    options = SimulatorOptions(
        realtime=args.realtime,
        request_limit=args.request_limit,
        smart_charging_replies=args.smart_charging_replies,
        reject_second_connection=args.reject_second_connection,
    )
    async with BlueCurrentSimulator(
        scenario, options=options, host=args.host, port=args.port
    ) as sim:
        tokens = [account.api_token for account in scenario.accounts]
        if args.print_tokens:
            for token in tokens:
                write(token)
        else:
            write(f"Blue Current simulator listening on {sim.url}")
            write(f"  app socket:  {sim.app_url}")
            write(f"  control:     {sim.control_url}")
            write(f"  clock:       {'realtime' if args.realtime else 'manual (/control advance)'}")
            for account in scenario.accounts:
                points = ", ".join(p.evse_id for p in account.charge_points)
                write(f"  API token:   {account.api_token}  ({account.email}: {points})")
            write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    run(functools.partial(_serve, args))


if __name__ == "__main__":
    main()
