"""The reply faults every simulator offers: slow replies and a half-open server.

`delay_replies(seconds)` makes each reply wait; `stop_answering()` makes the server keep the
connections open and read what arrives, yet send nothing (a half-open peer), until
`resume_answering()`. A simulator consults `reply_delay` and `answering` where it replies.
"""

from __future__ import annotations

import asyncio


class AnsweringFaults:
    """Reply delay and the half-open switch."""

    def __init__(self) -> None:
        """Answer at once."""
        self.reply_delay = 0.0
        self.answering = True

    def delay_replies(self, seconds: float) -> None:
        """Wait `seconds` (wall time) before every reply; 0 to clear. Pushes are not delayed."""
        self.reply_delay = max(0.0, seconds)

    def stop_answering(self) -> None:
        """Half-open: requests are still read and logged, but nothing is answered."""
        self.answering = False

    def resume_answering(self) -> None:
        """Undo `stop_answering` (what was swallowed meanwhile stays lost)."""
        self.answering = True

    async def before_reply(self) -> None:
        """Wait the configured reply delay."""
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)

    def clear_answering(self) -> None:
        """Answer at once and normally again."""
        self.reply_delay = 0.0
        self.answering = True
