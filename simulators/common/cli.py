"""What every `python -m simulators.<brand>` shares: options, output, stop signal, the run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any


# A simulator's `_serve(args, stop)`: serves until `stop` is set.
type Serve = Callable[[argparse.Namespace, asyncio.Event], Coroutine[Any, Any, None]]


def simulator_parser(
    name: str, description: str, *, scenario_dir: Path, port: int
) -> argparse.ArgumentParser:
    """The options every simulator takes: --scenario, --host, --port, --realtime.

    `python -m simulators.<name>`; the scenario defaults to `scenario_dir`'s bundled demo.
    The brand adds its own options.
    """
    parser = argparse.ArgumentParser(prog=f"python -m simulators.{name}", description=description)
    parser.add_argument(
        "--scenario",
        type=Path,
        default=scenario_dir / "demo.json",
        help="scenario JSON file (default: the bundled demo)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port, help="main port (0: any free port)")
    parser.add_argument(
        "--realtime", action="store_true", help="let the simulated clock follow wall time"
    )
    return parser


def clock_mode(args: argparse.Namespace) -> str:
    """How the simulated clock runs (`--realtime` or not), for the start-up lines."""
    return "realtime" if args.realtime else "manual (/control advance)"


def write(line: str) -> None:
    """Print one line at once (the demo and tests read the output while the server runs)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _serve_until_signal(serve: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
    # The handlers are in place before the server starts, so a SIGTERM right after the first
    # printed line still stops it cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await serve(stop)


def run(parser: argparse.ArgumentParser, serve: Serve, argv: list[str] | None) -> None:
    """Run `serve(args, stop)` with the parsed `argv`; `stop` is set on SIGINT or SIGTERM.

    Then say the simulator stopped.
    """
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_signal(functools.partial(serve, args)))
    write("Simulator stopped.")
