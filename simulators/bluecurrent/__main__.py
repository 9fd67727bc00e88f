"""Run the simulator standalone.

    python -m simulators.bluecurrent --scenario simulators/bluecurrent/scenarios/demo.json
        --host 127.0.0.1 --port 8765 --realtime   (one line)

Prints the URLs and the scenario's API tokens (simulator fixtures, not secrets), then serves
until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.common.cli import clock_mode, run, simulator_parser, write

from .scenario import SCENARIO_DIR, Scenario
from .server import BlueCurrentSimulator, SimulatorOptions

if TYPE_CHECKING:
    import argparse
    import asyncio


def _parser() -> argparse.ArgumentParser:
    parser = simulator_parser(
        "bluecurrent", "Blue Current cloud simulator", scenario_dir=SCENARIO_DIR, port=8765
    )
    parser.add_argument(
        "--print-tokens",
        action="store_true",
        help="print only the API tokens, one a line, and keep serving",
    )
    parser.add_argument("--request-limit", type=int, default=None, help="daily request budget")
    parser.add_argument("--smart-charging-replies", choices=("status", "none"), default="status")
    parser.add_argument("--reject-second-connection", action="store_true")
    return parser


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
            write(f"  clock:       {clock_mode(args)}")
            for account in scenario.accounts:
                points = ", ".join(p.evse_id for p in account.charge_points)
                write(f"  API token:   {account.api_token}  ({account.email}: {points})")
            write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    run(_parser(), _serve, argv)


if __name__ == "__main__":
    main()
