"""From a received text frame to its handler: budget, log, faults, auth, the command table.

A frame that is not a JSON object with a string `command`, or has an unusable field, gets
ERROR 9; an unknown command ERROR 0; a missing/unknown auth token ERROR 1 (checked before the
command name). Over the budget a one-shot gets ERROR 42 and every live socket is closed with 4001
(§5.1). The socket stays open after an ERROR (the HA client is the one that drops it).
"""

from __future__ import annotations

import contextlib
import json
import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from .commandlog import ReceivedCommand
from .handlers import commands, login, overrides, queries
from .handlers.context import PointRequest, Request
from .payload import PayloadError, require
from .protocol import (
    ACTION_COMMANDS,
    APP_ONLY_COMMANDS,
    CLOSE_REQUEST_LIMIT,
    ERROR_INVALID_AUTH,
    ERROR_LIMIT,
    ERROR_UNKNOWN,
    ERROR_UNKNOWN_COMMAND,
    HA_PATH,
    LIMIT_REASON,
    SETTING_COMMANDS,
    SMART_COMMANDS,
    TWO_STAGE_COMMANDS,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from .budget import RequestBudget
    from .commandlog import CommandLog
    from .handlers.context import PointHandler, ServerContext
    from .protocol import JSONObject
    from .transport import Connection

_LOGGER = logging.getLogger(__name__)

type BoundHandler = Callable[[Request], Awaitable[None]]


class Dispatcher:
    """Answers the frames of every protocol socket of one simulator."""

    def __init__(self, ctx: ServerContext, log: CommandLog, budget: RequestBudget) -> None:
        """Build the command table from `ctx.options`."""
        self._ctx = ctx
        self._log = log
        self._budget = budget
        self._handlers = self._table()

    def _table(self) -> dict[str, BoundHandler]:
        ctx = self._ctx
        point = self._per_point
        table: dict[str, BoundHandler] = {
            "HELLO": partial(queries.hello, ctx),
            "GET_ACCOUNT": partial(queries.get_account, ctx),
            "GET_CHARGE_CARDS": partial(queries.get_charge_cards, ctx),
            "GET_CHARGE_POINTS": partial(queries.get_charge_points, ctx),
            "GET_CH_STATUS": point(queries.get_ch_status),
            "GET_CH_SETTINGS": point(queries.get_ch_settings),
            "GET_GRID_STATUS": point(queries.get_grid_status),
            "GET_SUSTAINABILITY_STATUS": partial(queries.get_sustainability, ctx),
            "LIST_OVERRIDE_CURRENT": partial(overrides.list_override, ctx),
            "POST_SET_OVERRIDE_CURRENT": partial(overrides.post_set_override, ctx),
            "POST_EDIT_OVERRIDE_CURRENT": partial(overrides.post_edit_override, ctx),
            "POST_CLEAR_OVERRIDE_CURRENT": partial(overrides.post_clear_override, ctx),
            "SET_PLUG_AND_CHARGE_CHARGE_CARD": point(commands.set_pnc_card),
        }
        if ctx.options.answer_legacy_app_requests:
            table["GET_SESSIONS"] = partial(queries.get_sessions, ctx)
            table["GET_STATUS"] = point(queries.get_legacy_status)
        for name in SETTING_COMMANDS:
            table[name] = point(commands.setting)
        for name in ACTION_COMMANDS:
            table[name] = point(commands.action)
        for name in SMART_COMMANDS:
            table[name] = point(commands.smart)
        return table

    def _per_point(self, handler: PointHandler) -> BoundHandler:
        """A handler for one of the account's charge points (`evse_id`); others get an ERROR."""
        ctx = self._ctx

        async def wrapped(req: Request) -> None:
            evse_id = require(req.payload, "evse_id", str)
            point = req.account.points.get(evse_id)
            if point is None:
                await ctx.transport.error(req.conn, ctx.options.foreign_evse_error)
                return
            await handler(ctx, PointRequest(req.conn, req.payload, req.account, point))

        return wrapped

    def _record(self, conn: Connection, name: str, payload: JSONObject) -> None:
        self._log.append(ReceivedCommand(conn.id, conn.path, name, payload, self._ctx.clock.now()))

    async def handle_text(self, conn: Connection, text: str | None) -> None:
        """Answer one frame (None: a binary frame)."""
        ctx = self._ctx
        over_budget = self._budget.count()
        payload: Any = None
        if text is not None:
            with contextlib.suppress(ValueError):
                payload = json.loads(text)
        if not isinstance(payload, dict) or not isinstance(payload.get("command"), str):
            self._record(conn, "", {"raw": text})
            if over_budget:
                await self._over_budget(conn)
            else:
                await ctx.transport.error(conn, ERROR_UNKNOWN)
            return
        name: str = payload["command"]
        self._record(conn, name, payload)
        if over_budget:
            await self._over_budget(conn)
            return
        if not ctx.faults.answering:
            return  # half-open: the command is logged, nothing happens
        error = ctx.faults.take_error(name) or ctx.faults.frames.standing_error(name, payload)
        if error is not None:
            await ctx.transport.error(conn, error)
            return
        try:
            await self._dispatch(conn, name, payload)
        except PayloadError:
            await ctx.transport.error(conn, ERROR_UNKNOWN)
        except Exception:
            # a simulator bug must be visible, yet the socket keeps the protocol's shape
            _LOGGER.exception("simulator failed on %s", name)
            await ctx.transport.error(conn, ERROR_UNKNOWN)

    async def _over_budget(self, conn: Connection) -> None:
        # one-shots get ERROR 42, live sockets are closed with 4001 (§5.1)
        if not conn.hello:
            await self._ctx.transport.error(conn, ERROR_LIMIT)
        await self._ctx.transport.close_all(
            CLOSE_REQUEST_LIMIT, LIMIT_REASON.encode(), hello_only=True
        )

    async def _dispatch(self, conn: Connection, name: str, payload: JSONObject) -> None:
        ctx = self._ctx
        if name == "VALIDATE_API_TOKEN":
            await login.validate_api_token(ctx, conn, payload)
            return
        if name == "VALIDATE_PASSWORD":
            await login.validate_password(ctx, conn, payload)
            return
        account = ctx.accounts.for_auth_header(payload.get("Authorization"))
        if account is None:
            await ctx.transport.error(conn, ERROR_INVALID_AUTH)
            return
        conn.account = account
        conn.auth_token = account.auth_token
        if (
            ctx.options.haserver_refuses_app_only
            and conn.path == HA_PATH
            and name in APP_ONLY_COMMANDS
        ):
            await ctx.transport.error(conn, ctx.options.app_only_error)
            return
        handler = self._handlers.get(name)
        if handler is None:
            await ctx.transport.error(conn, ERROR_UNKNOWN_COMMAND)
            return
        if name not in TWO_STAGE_COMMANDS:
            failure = ctx.faults.take_failure(name)
            if failure is not None:
                if failure.stage != "none":
                    await ctx.transport.error(conn, (ERROR_UNKNOWN[0], failure.error))
                return
        await handler(Request(conn, payload, account))
