"""Settings, actions and smart charging (§3.7, §6.1): RECEIVED_<CMD> now, STATUS_<CMD> later.

STATUS_ follows `result_delay` seconds (wall time) after RECEIVED_; armed `fail_next` faults
replace either stage. A state change is applied when STATUS_ reports success.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from simulators.bluecurrent.payload import (
    PayloadError,
    delayed_days,
    hhmm,
    price_settings_changes,
    require,
)
from simulators.bluecurrent.physics import DelayedSchedule
from simulators.bluecurrent.protocol import PNC_CARD_COMMAND
from simulators.bluecurrent.scenario import NO_CARD

if TYPE_CHECKING:
    from collections.abc import Callable

    from simulators.bluecurrent.faults import Failure
    from simulators.bluecurrent.physics import SimChargePoint
    from simulators.bluecurrent.protocol import JSONObject

    from .context import PointRequest, ServerContext


async def two_stage(  # noqa: C901 - the fault stages are easier to read in one place
    ctx: ServerContext,
    req: PointRequest,
    name: str,
    *,
    received_error: str | None = None,
    status_error: Callable[[], str | None] = lambda: None,
    apply: Callable[[], None] = lambda: None,
    result: Callable[[], JSONObject] = dict,
    replies: bool = True,
    received: bool = True,
) -> None:
    """RECEIVED_<name> now, then STATUS_<name> after result_delay; faults may interfere."""
    conn, payload, point = req.conn, req.payload, req.point
    failure: Failure | None = ctx.faults.take_failure(name)
    if failure is not None and failure.stage == "none":
        return
    if failure is not None and failure.stage == "received":
        received_error = failure.error
    if not replies and failure is None:
        if received_error is None:
            apply()
            await ctx.pushes.after_change(point)
        return
    flow_id = payload.get("flow_id") if isinstance(payload.get("flow_id"), str) else ""
    if (received and replies) or received_error is not None:
        ack: JSONObject = {
            "object": f"RECEIVED_{name}",
            "success": received_error is None,
            "error": received_error or "",
            "evse_id": point.evse_id,
        }
        if flow_id:
            ack["flow_id"] = flow_id
        await ctx.transport.reply(conn, ack)
        if received_error is not None:
            return

    async def finish() -> None:
        await asyncio.sleep(ctx.options.result_delay)
        error = failure.error if failure is not None else status_error()
        if error is None:
            apply()
        await ctx.transport.reply(
            conn,
            {
                "object": f"STATUS_{name}",
                "success": error is None,
                "flow_id": flow_id,
                "evse_id": point.evse_id,
                "result": result(),
                "error": error or "",
            },
        )
        if error is None:
            await ctx.pushes.after_change(point)

    ctx.spawn(finish())


def _reachable(point: SimChargePoint) -> str | None:
    return None if point.online else "TIMEOUT"


async def _push_settings_later(ctx: ServerContext, req: PointRequest) -> None:
    await asyncio.sleep(ctx.options.result_delay * 2)
    await ctx.pushes.push_settings(req.account, req.point)


async def setting(ctx: ServerContext, req: PointRequest) -> None:
    """SET_PUBLIC_CHARGING / SET_PLUG_AND_CHARGE."""
    point = req.point
    name = req.payload["command"]
    value = require(req.payload, "value", bool)
    attr = "public_charging" if name == "SET_PUBLIC_CHARGING" else "plug_and_charge"

    def apply() -> None:
        setattr(point, attr, value)

    def result() -> JSONObject:
        # after success both are the same; after a failure they may differ
        named = value if ctx.options.failed_setting_names_requested else getattr(point, attr)
        return {"setting": f"set {str(named).lower()}"}

    await two_stage(
        ctx,
        req,
        name,
        status_error=lambda: _reachable(point),
        apply=apply,
        result=result,
    )
    if ctx.options.push_settings_on_change:
        ctx.spawn(_push_settings_later(ctx, req))


async def set_pnc_card(ctx: ServerContext, req: PointRequest) -> None:
    """SET_PLUG_AND_CHARGE_CHARGE_CARD (app only, §3.7)."""
    point = req.point
    uid = require(req.payload, "token_uid", str)
    known = uid == NO_CARD or req.account.card(uid) is not None

    def apply() -> None:
        point.plug_and_charge_card = uid

    await two_stage(
        ctx,
        req,
        PNC_CARD_COMMAND,
        status_error=lambda: None if known else "unknown card",
        apply=apply,
        received=ctx.options.pnc_card_received_ack,
    )


async def action(  # noqa: C901 - one small closure per command
    ctx: ServerContext, req: PointRequest
) -> None:
    """SET_OPERATIVE, SET_INOPERATIVE, SOFT_RESET, REBOOT, UNLOCK_CONNECTOR, START/STOP_SESSION."""
    point = req.point
    name: str = req.payload["command"]
    now = ctx.clock.now

    def reachable() -> str | None:
        return _reachable(point)

    def nothing() -> None:
        return None

    def unblock() -> None:
        point.operative = True
        point.update_currents(now())

    def block() -> None:
        point.stop_session(now())  # a blocked point ends its session
        point.operative = False
        point.update_currents(now())

    def stop() -> None:
        point.stop_session(now())

    received_error: str | None = None
    status_error: Callable[[], str | None] = reachable
    apply: Callable[[], None] = {
        "SET_OPERATIVE": unblock,
        "SET_INOPERATIVE": block,
        "STOP_SESSION": stop,
    }.get(name, nothing)
    if name == "START_SESSION":
        card_uid = require(req.payload, "session_token", str)
        card = req.account.card(card_uid)
        card_ok = card_uid == NO_CARD or (card is not None and bool(card.valid))

        def start_error() -> str | None:
            if not point.online:
                return "TIMEOUT"
            if not card_ok or not point.can_start():
                return "REJECTED"
            return None

        def start() -> None:
            point.start_session(now(), card_uid, stale_quirk=ctx.options.stale_start_datetime)

        status_error, apply = start_error, start
    elif name == "STOP_SESSION" and point.session is None:
        received_error = f"no active session for chargepoint: {point.evse_id}"
    await two_stage(
        ctx,
        req,
        name,
        received_error=received_error,
        status_error=status_error,
        apply=apply,
    )


async def smart(ctx: ServerContext, req: PointRequest) -> None:
    """Delayed / price-based charging and their boosts (§6.1)."""
    point = req.point
    name: str = req.payload["command"]
    apply = smart_change(name, req.payload, point)

    def result() -> JSONObject:
        value = req.payload.get("value")
        return {"setting": f"set {str(value).lower()}"} if isinstance(value, bool) else {}

    def apply_and_settle() -> None:
        apply()
        point.update_currents(ctx.clock.now())

    await two_stage(
        ctx,
        req,
        name,
        apply=apply_and_settle,
        result=result,
        replies=ctx.options.smart_charging_replies == "status",
    )
    if ctx.options.push_settings_on_change:
        ctx.spawn(_push_settings_later(ctx, req))


def smart_change(name: str, payload: JSONObject, point: SimChargePoint) -> Callable[[], None]:
    """Validate a smart-charging command and return the state change it makes (§6.1)."""
    if name in ("SET_DELAYED_CHARGING", "SET_PRICE_BASED_CHARGING"):
        return _profile_change(name, require(payload, "value", bool), point)
    if name == "SAVE_SCHEDULE_DELAYED_CHARGING":
        schedule = DelayedSchedule(
            days=delayed_days(payload.get("days")),
            start=hhmm(payload.get("start_time")),
            end=hhmm(payload.get("end_time")),
        )

        def save() -> None:
            point.delayed_schedule = schedule

        return save
    if name in ("PATCH_PRICE_BASED_CHARGING_SETTINGS", "SET_PRICE_BASED_SETTINGS"):
        changes = price_settings_changes(payload)

        def patch() -> None:
            for key, value in changes.items():
                setattr(point.price_settings, key, value)

        return patch
    # OVERRIDE_CHARGING_PROFILES / OVERRIDE_DELAYED_CHARGING_TIMEOUT: boost this session
    boost = require(payload, "value", bool)
    attr = "price_boost" if name == "OVERRIDE_CHARGING_PROFILES" else "delayed_boost"

    def set_boost() -> None:
        if point.session is not None:
            setattr(point, attr, boost)

    return set_boost


def _profile_change(name: str, value: bool, point: SimChargePoint) -> Callable[[], None]:  # noqa: FBT001
    """SET_DELAYED_CHARGING / SET_PRICE_BASED_CHARGING: one profile at a time (§6.1)."""

    def change() -> None:
        if name == "SET_DELAYED_CHARGING":
            point.delayed_charging = value
            point.price_based_charging = point.price_based_charging and not value
        else:
            point.price_based_charging = value
            point.delayed_charging = point.delayed_charging and not value
        # smart charging is on while a profile is
        point.smart_charging = point.delayed_charging or point.price_based_charging

    return change


def price_kwh_change(payload: JSONObject, point: SimChargePoint) -> Callable[[], None]:
    """The app's `setpricebasedsettings`: departure time and kWh amounts (pybluecurrent 0.4.1)."""
    departure = payload.get("expected_departure_time")
    hhmm(departure)
    expected = require(payload, "expected_kwh", (int, float))
    minimum = require(payload, "minimum_kwh", (int, float))
    if expected < 0 or minimum < 0:
        raise PayloadError("kWh amounts must not be negative")

    def change() -> None:
        point.price_settings.expected_departure_time = str(departure)
        point.price_settings.expected_kwh = float(expected)
        point.price_settings.minimum_kwh = float(minimum)

    return change


CAPACITY_TARIFF_KWH = (0.01, 80.0)  # pybluecurrent 0.4.1: "from 0.01 to 80 inclusive"


def capacity_tariff_change(payload: JSONObject, point: SimChargePoint) -> Callable[[], None]:
    """The app's `setcapacitytariff`: on with a maximum in kWh, or off (the maximum is kept)."""
    if point.capacity_tariff_permission != "write":
        raise PayloadError("capacity tariff not available for this charge point")
    enabled = require(payload, "value", bool)
    max_kwh: float | None = None
    if enabled:
        max_kwh = float(require(payload, "capacitytariffmaxkwh", (int, float)))
        low, high = CAPACITY_TARIFF_KWH
        if not low <= max_kwh <= high:
            raise PayloadError("capacitytariffmaxkwh out of range")
    elif "capacitytariffmaxkwh" in payload:
        raise PayloadError("capacitytariffmaxkwh given when disabling")

    def change() -> None:
        point.capacity_tariff = enabled
        if max_kwh is not None:
            point.capacity_tariff_max_kwh = max_kwh

    return change
