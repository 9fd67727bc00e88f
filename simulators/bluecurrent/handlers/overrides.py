"""The override-current schedule commands (§3.8, §6.2): list, set, edit, clear."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulators.bluecurrent.payload import PayloadError, day_codes, hhmm, require, schedule_id
from simulators.bluecurrent.protocol import ERROR_UNKNOWN
from simulators.bluecurrent.schedules import OverrideSchedule, apply_caps, remove_from_schedules
from simulators.bluecurrent.zone import AMSTERDAM

if TYPE_CHECKING:
    from simulators.bluecurrent.accounts import SimAccount
    from simulators.bluecurrent.protocol import JSONObject

    from .context import Request, ServerContext


def _schedule_fields(payload: JSONObject, account: SimAccount) -> JSONObject | None:
    """The schedule fields of a set/edit command; None when a charge point is not the account's."""
    points = payload.get("chargepoints")
    if not isinstance(points, list) or not points or not all(isinstance(p, str) for p in points):
        raise PayloadError("chargepoints")
    if any(p not in account.points for p in points):
        return None
    current = require(payload, "overridevalue", (int, float))
    if current <= 0:
        raise PayloadError("overridevalue")
    return {
        "charge_points": list(dict.fromkeys(points)),
        "current": float(current),
        "start_time": hhmm(payload.get("overridestarttime")),
        "stop_time": hhmm(payload.get("overridestoptime")),
        "start_days": day_codes(payload.get("overridestartdays")),
        "stop_days": day_codes(payload.get("overridestopdays")),
    }


async def refresh_caps(ctx: ServerContext, account: SimAccount) -> None:
    """Apply the schedules now and push what changed."""
    apply_caps(account.schedules, account.points, ctx.clock.local_now(AMSTERDAM))
    for point in account.points.values():
        point.update_currents(ctx.clock.now())
        await ctx.pushes.after_change(point)


async def list_override(ctx: ServerContext, req: Request) -> None:
    """LIST_OVERRIDE_CURRENT, by schedule id."""
    schedules = sorted(req.account.schedules.values(), key=lambda s: int(s.schedule_id))
    data = [s.to_wire() for s in schedules]
    await ctx.transport.reply(req.conn, {"object": "LIST_OVERRIDE_CURRENT", "data": data})


async def _store(
    ctx: ServerContext,
    req: Request,
    name: str,
    schedule: OverrideSchedule,
    *,
    keep: str | None = None,
) -> None:
    """Keep a new or edited schedule, reply with it (`name`) and apply the schedules now.

    Its charge points leave every other schedule (`keep`: the edited schedule's id).
    """
    account = req.account
    remove_from_schedules(account.schedules, set(schedule.charge_points), keep=keep)
    account.schedules[schedule.schedule_id] = schedule
    await ctx.transport.reply(req.conn, {"object": name, "data": schedule.to_wire()})
    await refresh_caps(ctx, account)


async def post_set_override(ctx: ServerContext, req: Request) -> None:
    """POST_SET_OVERRIDE_CURRENT: a new schedule takes its charge points from the others."""
    fields = _schedule_fields(req.payload, req.account)
    if fields is None:
        await ctx.transport.error(req.conn, ctx.options.foreign_evse_error)
        return
    schedule = OverrideSchedule(schedule_id=str(next(ctx.schedule_ids)), **fields)
    await _store(ctx, req, "POST_SET_OVERRIDE_CURRENT", schedule)


async def post_edit_override(ctx: ServerContext, req: Request) -> None:
    """POST_EDIT_OVERRIDE_CURRENT (an unknown id gets ERROR 9)."""
    wanted = schedule_id(req.payload.get("schedule_id"))
    fields = _schedule_fields(req.payload, req.account)
    if fields is None:
        await ctx.transport.error(req.conn, ctx.options.foreign_evse_error)
        return
    if wanted not in req.account.schedules:
        await ctx.transport.error(req.conn, (ERROR_UNKNOWN[0], f"schedule not found: {wanted}"))
        return
    schedule = OverrideSchedule(schedule_id=wanted, **fields)
    await _store(ctx, req, "POST_EDIT_OVERRIDE_CURRENT", schedule, keep=wanted)


async def post_clear_override(ctx: ServerContext, req: Request) -> None:
    """POST_CLEAR_OVERRIDE_CURRENT (an unknown id gives success false)."""
    wanted = schedule_id(req.payload.get("schedule_id"))
    found = req.account.schedules.pop(wanted, None) is not None
    reply: JSONObject = {
        "object": "POST_CLEAR_OVERRIDE_CURRENT",
        "success": found,
        "error": "" if found else f"schedule not found: {wanted}",
    }
    if ctx.options.clear_reply_schedule_id:
        reply["schedule_id"] = wanted
    await ctx.transport.reply(req.conn, reply)
    await refresh_caps(ctx, req.account)
