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
    from simulators.bluecurrent.accounts import SimAccount
    from simulators.bluecurrent.physics import SimChargePoint
    from simulators.bluecurrent.protocol import JSONObject
    from simulators.bluecurrent.transport import Connection

    from .context import ServerContext


async def hello(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """HELLO: from now on this socket gets pushes."""
    del payload, account
    await ctx.transport.reply(conn, {"object": "HELLO"})
    conn.hello = True  # pushes start after the HELLO reply, on this socket only


async def get_account(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """ACCOUNT."""
    del payload
    await ctx.transport.reply(conn, account_object(account))


async def get_charge_cards(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """CHARGE_CARDS (honours `limit`)."""
    await ctx.transport.reply(conn, charge_cards_object(account, payload.get("limit")))


async def get_charge_points(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """CHARGE_POINTS; the socket now knows these evse ids (pushes about them may start)."""
    del payload
    data = [charge_point_entry(account, p, ctx.options) for p in account.points.values()]
    await ctx.transport.reply(conn, {"object": "CHARGE_POINTS", "data": data})
    conn.known_evses.update(account.points)


async def get_ch_status(
    ctx: ServerContext,
    conn: Connection,
    payload: JSONObject,
    account: SimAccount,
    point: SimChargePoint,
) -> None:
    """CH_STATUS of one charge point."""
    del payload, account
    await ctx.transport.reply(conn, status_object(point, push=False))


async def get_ch_settings(
    ctx: ServerContext,
    conn: Connection,
    payload: JSONObject,
    account: SimAccount,
    point: SimChargePoint,
) -> None:
    """CH_SETTINGS of one charge point."""
    del payload
    await ctx.transport.reply(conn, settings_object(account, point, ctx.options))


async def get_grid_status(
    ctx: ServerContext,
    conn: Connection,
    payload: JSONObject,
    account: SimAccount,
    point: SimChargePoint,
) -> None:
    """GRID_STATUS of the charge point's grid."""
    del payload
    await ctx.transport.reply(conn, grid_status_object(account, account.grids[point.grid_id]))


async def get_sustainability(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """SUSTAINABILITY_STATUS."""
    del payload
    await ctx.transport.reply(
        conn,
        {"object": "SUSTAINABILITY_STATUS", "trees": account.spec.trees, "co2": account.spec.co2},
    )


async def get_sessions(
    ctx: ServerContext, conn: Connection, payload: JSONObject, account: SimAccount
) -> None:
    """GET_SESSIONS (option `answer_legacy_app_requests`): an empty list."""
    del payload, account
    await ctx.transport.reply(conn, {"object": "SESSIONS", "data": []})


async def get_legacy_status(
    ctx: ServerContext,
    conn: Connection,
    payload: JSONObject,
    account: SimAccount,
    point: SimChargePoint,
) -> None:
    """GET_STATUS (option `answer_legacy_app_requests`): the CH_STATUS data."""
    del payload, account
    status = status_object(point, push=False)
    await ctx.transport.reply(conn, {"object": "STATUS", "data": status["data"]})
