"""Run the simulator standalone.

    python -m simulators.vecharge --scenario simulators/vecharge/scenarios/demo.json
        --host 127.0.0.1 --port 8766 --realtime   (one line)

Prints the URLs and the scenario's tokens (simulator fixtures, not secrets), then serves until
Ctrl-C or SIGTERM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.common.cli import clock_mode, run, simulator_parser, write

from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, Scenario
from .server import VeChargeSimulator

if TYPE_CHECKING:
    import argparse
    import asyncio


def _parser() -> argparse.ArgumentParser:
    parser = simulator_parser(
        "vecharge", "veCharge cloud simulator", scenario_dir=SCENARIO_DIR, port=8766
    )
    parser.add_argument("--log-interval", type=float, default=5.0, help="seconds between logs")
    parser.add_argument(
        "--refusal-style", choices=("connect_error", "http_status", "error_event"), default=None
    )
    parser.add_argument("--payload-encoding", choices=("json_string", "object"), default=None)
    parser.add_argument("--document-form", choices=("mongoose", "flat"), default=None)
    parser.add_argument("--keep-socket-on-off", action="store_true")
    return parser


def _options(args: argparse.Namespace) -> SimulatorOptions:
    options = SimulatorOptions(log_interval=args.log_interval)
    if args.refusal_style:
        options.refusal_style = args.refusal_style
    if args.payload_encoding:
        options.payload_encoding = args.payload_encoding
    if args.document_form:
        options.document_form = args.document_form
    options.close_on_off = not args.keep_socket_on_off
    return options


async def _serve(args: argparse.Namespace, stop: asyncio.Event) -> None:
    scenario = Scenario.from_file(args.scenario)
    async with VeChargeSimulator(
        scenario, options=_options(args), host=args.host, port=args.port
    ) as sim:
        if args.realtime:
            sim.clock.start_realtime()
        write(f"veCharge simulator listening on {sim.url}")
        write(f"  control:     {sim.control_url}")
        write(f"  clock:       {clock_mode(args)}")
        for user in scenario.users:
            chargers = ", ".join(
                c.charger_id for c in scenario.chargers if c.user_id == user.user_id
            )
            write(f"  token:       {user.token}  ({user.user_id}: {chargers})")
        write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    run(_parser(), _serve, argv)


if __name__ == "__main__":
    main()
