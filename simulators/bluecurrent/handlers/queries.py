"""The data requests (§3): HELLO, account, cards, charge points, status, settings, grid, trees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.bluecurrent.wire import (
    account_object,
    charge_cards_object,
    charge_point_entry,
    grid_status_object,
    settings_object,
    status_object,
)

if TYPE_CHECKING:
    from .context import PointRequest, Request, ServerContext


async def hello(ctx: ServerContext, req: Request) -> None:
    """HELLO: from now on this socket gets pushes."""
    await ctx.transport.reply(req.conn, {"object": "HELLO"})
    req.conn.hello = True  # pushes start after the HELLO reply, on this socket only


async def get_account(ctx: ServerContext, req: Request) -> None:
    """ACCOUNT."""
    await ctx.transport.reply(req.conn, account_object(req.account))


async def get_charge_cards(ctx: ServerContext, req: Request) -> None:
    """CHARGE_CARDS (honours `limit`)."""
    await ctx.transport.reply(req.conn, charge_cards_object(req.account, req.payload.get("limit")))


async def get_charge_points(ctx: ServerContext, req: Request) -> None:
    """CHARGE_POINTS; the socket now knows these evse ids (pushes about them may start)."""
    account = req.account
    data = [charge_point_entry(account, p, ctx.options) for p in account.points.values()]
    await ctx.transport.reply(req.conn, {"object": "CHARGE_POINTS", "data": data})
    req.conn.known_evses.update(account.points)


async def get_ch_status(ctx: ServerContext, req: PointRequest) -> None:
    """CH_STATUS of one charge point."""
    await ctx.transport.reply(req.conn, status_object(req.point, push=False))


async def get_ch_settings(ctx: ServerContext, req: PointRequest) -> None:
    """CH_SETTINGS of one charge point."""
    await ctx.transport.reply(req.conn, settings_object(req.account, req.point, ctx.options))


async def get_grid_status(ctx: ServerContext, req: PointRequest) -> None:
    """GRID_STATUS of the charge point's grid."""
    grid = req.account.grids[req.point.grid_id]
    await ctx.transport.reply(req.conn, grid_status_object(req.account, grid))


async def get_sustainability(ctx: ServerContext, req: Request) -> None:
    """SUSTAINABILITY_STATUS."""
    spec = req.account.spec
    await ctx.transport.reply(
        req.conn, {"object": "SUSTAINABILITY_STATUS", "trees": spec.trees, "co2": spec.co2}
    )


async def get_sessions(ctx: ServerContext, req: Request) -> None:
    """GET_SESSIONS (option `answer_legacy_app_requests`): an empty list."""
    await ctx.transport.reply(req.conn, {"object": "SESSIONS", "data": []})


async def get_legacy_status(ctx: ServerContext, req: PointRequest) -> None:
    """GET_STATUS (option `answer_legacy_app_requests`): the CH_STATUS data."""
    status = status_object(req.point, push=False)
    await ctx.transport.reply(req.conn, {"object": "STATUS", "data": status["data"]})
