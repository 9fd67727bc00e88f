"""Run the simulator standalone.

    python -m simulators.bluecurrent --scenario simulators/bluecurrent/scenarios/demo.json
        --host 127.0.0.1 --port 8765 --realtime   (one line)

Prints the URLs and the scenario's API tokens (simulator fixtures, not secrets), then serves
until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from .scenario import SCENARIO_DIR, Scenario
from .server import BlueCurrentSimulator, SimulatorOptions


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


def _write(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _serve(args: argparse.Namespace) -> None:
    scenario = Scenario.from_file(args.scenario)
    options = SimulatorOptions(
        realtime=args.realtime,
        request_limit=args.request_limit,
        smart_charging_replies=args.smart_charging_replies,
        reject_second_connection=args.reject_second_connection,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with BlueCurrentSimulator(
        scenario, options=options, host=args.host, port=args.port
    ) as sim:
        tokens = [account.api_token for account in scenario.accounts]
        if args.print_tokens:
            for token in tokens:
                _write(token)
        else:
            _write(f"Blue Current simulator listening on {sim.url}")
            _write(f"  app socket:  {sim.app_url}")
            _write(f"  control:     {sim.control_url}")
            _write(f"  clock:       {'realtime' if args.realtime else 'manual (/control advance)'}")
            for account in scenario.accounts:
                points = ", ".join(p.evse_id for p in account.charge_points)
                _write(f"  API token:   {account.api_token}  ({account.email}: {points})")
            _write("Press Ctrl-C to stop.")
        await stop.wait()
    _write("Simulator stopped.")


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    args = _parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
