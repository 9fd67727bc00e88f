"""Run the simulator standalone.

    python -m simulators.vecharge --scenario simulators/vecharge/scenarios/demo.json
        --host 127.0.0.1 --port 8766 --realtime   (one line)

Prints the URLs and the scenario's tokens (simulator fixtures, not secrets), then serves until
Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from simulators.common.cli import run, write

from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, Scenario
from .server import VeChargeSimulator

if TYPE_CHECKING:
    import asyncio


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.vecharge", description="veCharge cloud simulator"
    )
    parser.add_argument("--scenario", type=Path, default=SCENARIO_DIR / "demo.json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--realtime", action="store_true", help="the clock follows wall time")
    parser.add_argument("--log-interval", type=float, default=5.0, help="seconds between logs")
    parser.add_argument(
        "--refusal-style", choices=("connect_error", "http_status", "error_event"), default=None
    )
    parser.add_argument("--payload-encoding", choices=("json_string", "object"), default=None)
    parser.add_argument("--document-form", choices=("mongoose", "flat"), default=None)
    parser.add_argument("--keep-socket-on-off", action="store_true")
    return parser.parse_args(argv)


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
        write(f"  clock:       {'realtime' if args.realtime else 'manual (/control advance)'}")
        for user in scenario.users:
            chargers = ", ".join(
                c.charger_id for c in scenario.chargers if c.user_id == user.user_id
            )
            write(f"  token:       {user.token}  ({user.user_id}: {chargers})")
        write("Press Ctrl-C to stop.")
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    run(functools.partial(_serve, args))


if __name__ == "__main__":
    main()
