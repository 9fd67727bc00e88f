"""Fault hooks for odd frame shapes (`sim.faults.frames`), beyond `send_object`'s free-form frames.

- `rewrite_next(object_name, values=..., remove=...)`: the next frame(s) of that object the
  server sends (a reply or a push) get keys set or removed; a dotted key reaches into a nested
  object ("data.id"). E.g. a GRID_STATUS without `id`, a GRID_CURRENT without `evse_id`, a
  STATUS_SET_PLUG_AND_CHARGE without `evse_id`, one empty CHARGE_POINTS (`values={"data": []}`).
- `error_always(command, evse_id=...)`: every such command (for that charge point) is answered
  with an ERROR (default 9 "Unknown error") until `stop_erroring`.
- `send_status(evse_id, **data)`: the charge point's current CH_STATUS with `data` fields
  replaced (None for null, "" for empty, absurd or negative numbers, a lower actual_kwh).
- `resend_status(evse_id, frames_back)`: a CH_STATUS pushed earlier, again (a late frame, e.g.
  of the previous session after a new one started).
"""

from __future__ import annotations

import copy
import json
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .protocol import ERROR_UNKNOWN

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable, Iterable

    from .protocol import JSONObject


@dataclass(frozen=True, slots=True)
class FrameHooks:
    """What the frame faults reach of the server."""

    spawn: Callable[[Awaitable[Any]], asyncio.Task[None]]
    broadcast_text: Callable[[str], Awaitable[None]]
    # the current CH_STATUS frame of a charge point
    status_frame: Callable[[str], JSONObject]
    # the CH_STATUS frames pushed for a charge point, oldest first
    status_history: Callable[[str], list[JSONObject]]


@dataclass(slots=True)
class _Rewrite:
    values: dict[str, Any]
    remove: tuple[str, ...]
    remaining: int


@dataclass(frozen=True, slots=True)
class _StandingError:
    evse_id: str | None
    error: tuple[int, str]


class FrameFaults:
    """Odd frame shapes for one simulator."""

    def __init__(self, hooks: FrameHooks) -> None:
        """Act through `hooks` only."""
        self._hooks = hooks
        self._rewrites: dict[str, deque[_Rewrite]] = {}
        self._standing: dict[str, list[_StandingError]] = {}

    # ----- rewriting what the server sends ------------------------------------------------------

    def rewrite_next(
        self,
        object_name: str,
        *,
        values: dict[str, Any] | None = None,
        remove: Iterable[str] = (),
        count: int = 1,
    ) -> None:
        """Set `values` and drop `remove` keys in the next `count` frames of `object_name`."""
        if count <= 0:
            raise ValueError("count must be positive")
        rewrite = _Rewrite(dict(values or {}), tuple(remove), count)
        self._rewrites.setdefault(object_name, deque()).append(rewrite)

    def rewrite(self, frame: JSONObject) -> JSONObject:
        """The frame as it goes out (used by the server for every frame it sends)."""
        queue = self._rewrites.get(str(frame.get("object")))
        if not queue:
            return frame
        rewrite = queue[0]
        rewrite.remaining -= 1
        if rewrite.remaining <= 0:
            queue.popleft()
        changed = copy.deepcopy(frame)
        for path, value in rewrite.values.items():
            parent, key = _parent(changed, path)
            parent[key] = value
        for path in rewrite.remove:
            parent, key = _parent(changed, path)
            parent.pop(key, None)
        return changed

    # ----- standing errors ---------------------------------------------------------------------

    def error_always(
        self,
        command: str,
        code: int = ERROR_UNKNOWN[0],
        message: str = ERROR_UNKNOWN[1],
        *,
        evse_id: str | None = None,
    ) -> None:
        """Answer every `command` (about `evse_id`, if given) with ERROR `code` `message`."""
        self._standing.setdefault(command, []).append(_StandingError(evse_id, (code, message)))

    def stop_erroring(self, command: str) -> None:
        """Answer `command` normally again."""
        self._standing.pop(command, None)

    def standing_error(self, command: str, payload: JSONObject) -> tuple[int, str] | None:
        """The ERROR `command` always gets (used by the server)."""
        for standing in self._standing.get(command, ()):
            if standing.evse_id is None or standing.evse_id == payload.get("evse_id"):
                return standing.error
        return None

    # ----- CH_STATUS shapes --------------------------------------------------------------------

    def send_status(self, evse_id: str, **data: Any) -> asyncio.Task[None]:
        """Send the current CH_STATUS of `evse_id` with `data` fields replaced, to every socket."""
        frame = self._hooks.status_frame(evse_id)
        frame["data"] = {**frame["data"], **data}
        return self._broadcast(frame)

    def resend_status(self, evse_id: str, frames_back: int = 1) -> asyncio.Task[None]:
        """Send again the CH_STATUS pushed `frames_back` pushes before the last one."""
        history = self._hooks.status_history(evse_id)
        if frames_back < 0 or frames_back >= len(history):
            raise IndexError(f"{evse_id}: only {len(history)} CH_STATUS pushed")
        return self._broadcast(history[-1 - frames_back])

    def _broadcast(self, frame: JSONObject) -> asyncio.Task[None]:
        return self._hooks.spawn(self._hooks.broadcast_text(json.dumps(frame)))

    def clear(self) -> None:
        """Forget every rewrite and standing error."""
        self._rewrites.clear()
        self._standing.clear()


def _parent(frame: JSONObject, path: str) -> tuple[dict[str, Any], str]:
    *parents, key = path.split(".")
    node: Any = frame
    for name in parents:
        node = node.get(name) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            raise KeyError(f"{path}: no object at {name}")
    return node, key
