"""What every `python -m simulators.<brand>` shares: output, the stop signal, the run."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any


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


def run(serve: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
    """Run `serve(stop)`; `stop` is set on SIGINT or SIGTERM. Then say the simulator stopped."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_signal(serve))
    write("Simulator stopped.")
