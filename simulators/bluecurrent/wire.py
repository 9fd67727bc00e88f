"""The JSON objects the server sends, built from the simulated state (§3).

Pure functions: no socket, no clock. Numbers go through `wire_number` so that whole values
are sent as ints, as the real server does.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .physics import format_timestamp, wire_number
from .scenario import NO_CARD

if TYPE_CHECKING:
    from .accounts import SimAccount
    from .options import SimulatorOptions
    from .physics import SimChargePoint, SimGrid
    from .protocol import JSONObject


def card_ref(account: SimAccount, uid: str) -> JSONObject:
    """A card as CHARGE_POINTS and CH_SETTINGS name it (an unknown uid echoes itself)."""
    card = account.card(uid) if uid != NO_CARD else None
    if card is None:
        return {"uid": uid, "id": uid, "name": "", "customer_name": "", "valid": 1}
    return {
        "uid": card.uid,
        "id": card.id,
        "name": card.name,
        "customer_name": card.customer_name,
        "valid": card.valid,
    }


def pnc_card_fields(
    account: SimAccount, point: SimChargePoint, options: SimulatorOptions
) -> JSONObject:
    """The plug & charge card under the key(s) `pnc_card_key` names (the key is unknown, §3.4).

    Without a card it reads back as the pseudo-card `pnc_no_card_uid`.
    """
    uid = point.plug_and_charge_card
    ref = card_ref(account, options.pnc_no_card_uid if uid == NO_CARD else uid)
    key = options.pnc_card_key
    keys = ("plug_and_charge_card", "plug_and_charge_charge_card") if key == "both" else (key,)
    return {k: dict(ref) for k in keys}


def profile_fields(point: SimChargePoint) -> JSONObject:
    """Delayed / price-based charging and the capacity tariff as pybluecurrent 0.4.1 reads them.

    A disabled profile is only `{value, permission}`; an enabled one adds its settings under
    the server's read keys (`selected_days`, `expected_leave_time`, `capacitytariffmaxkwh`).
    """
    delayed: JSONObject = {"value": point.delayed_charging, "permission": "write"}
    if point.delayed_charging:
        schedule = point.delayed_schedule
        delayed |= {
            "start_time": schedule.start.strftime("%H:%M"),
            "end_time": schedule.end.strftime("%H:%M"),
            "selected_days": sorted(schedule.days),
        }
    # no permission here: the doc's CHARGE_POINTS entry (§3.2) has none for this profile
    price: JSONObject = {"value": point.price_based_charging}
    if point.price_based_charging:
        settings = point.price_settings
        price |= {
            "expected_leave_time": settings.expected_departure_time,
            "expected_kwh": wire_number(settings.expected_kwh, 2),
            "minimum_kwh": wire_number(settings.minimum_kwh, 2),
        }
    max_kwh = point.capacity_tariff_max_kwh
    return {
        "delayed_charging": delayed,
        "price_based_charging": price,
        "capacity_tariff": {
            "value": point.capacity_tariff,
            "permission": point.capacity_tariff_permission,
            "capacitytariffmaxkwh": None if max_kwh is None else wire_number(max_kwh, 2),
        },
    }


def account_object(account: SimAccount) -> JSONObject:
    """The ACCOUNT reply."""
    spec = account.spec
    return {
        "object": "ACCOUNT",
        "full_name": spec.full_name,
        "email": spec.email,
        "login": spec.login_name,
        "should_reset_password": False,
        "developer_mode_enabled": True,
        "tel": "",
        "marketing_target": "bluecurrent",
        "first_login_app": "01-JAN-20",
        "hubspot_user_identity": f"hs-{spec.customer_id}",
    }


def charge_cards_object(account: SimAccount, limit: object) -> JSONObject:
    """The CHARGE_CARDS reply (at most `limit` cards when it is a non-negative int)."""
    cards = account.spec.cards
    if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
        cards = cards[:limit]
    default = card_ref(account, account.spec.default_card)
    return {
        "object": "CHARGE_CARDS",
        "default_card": {"uid": default["uid"], "id": default["id"]},
        "cards": [dataclasses.asdict(card) for card in cards],
    }


def charge_point_entry(
    account: SimAccount, point: SimChargePoint, options: SimulatorOptions
) -> JSONObject:
    """One item of CHARGE_POINTS `data` (§3.4)."""
    tariff = point.tariff
    entry: JSONObject = {
        "evse_id": point.evse_id,
        "name": point.name,
        "model_type": point.model_type,
        "chargepoint_type": point.chargepoint_type,
        "is_cable": point.is_cable,
        "activity": point.activity,
        "public_charging": {"value": point.public_charging, "permission": "write"},
        "plug_and_charge": {"value": point.plug_and_charge, "permission": "write"},
        "plug_and_charge_notification": point.plug_and_charge_notification,
        "smart_charging": point.smart_charging,
        "smart_charging_dynamic": point.smart_charging_dynamic,
        **profile_fields(point),
        "default_card": card_ref(account, point.default_card),
        "preferred_card": card_ref(account, point.preferred_card),
        **pnc_card_fields(account, point, options),
        "tariff": {
            "tariff_id": tariff.tariff_id,
            "price_ex_vat": tariff.price_ex_vat,
            "start_price_ex_vat": tariff.start_price_ex_vat,
            "price_in_vat": tariff.price_in_vat,
            "start_price_in_vat": tariff.start_price_in_vat,
            "currency": tariff.currency,
            "vat_percentage": tariff.vat_percentage,
            "permission": "read",
        },
        "led_interaction": {"value": point.led_interaction, "permission": "read"},
        "publish_location": {"value": point.publish_location, "permission": "write"},
        "socket_ids": list(point.socket_ids),
    }
    if point.location is not None:
        entry["location"] = dict(point.location)
    return entry


def status_object(point: SimChargePoint, *, push: bool) -> JSONObject:
    """CH_STATUS: the 17 keys of §3.3, plus the top-level evse_id LIB indexes."""
    start = point.start_datetime_for_push() if push else point.last_start
    v1, v2, v3 = point.voltages
    p1, p2, p3 = point.currents
    return {
        "object": "CH_STATUS",
        "evse_id": point.evse_id,
        "data": {
            "evse_id": point.evse_id,
            "actual_v1": wire_number(v1, 0),
            "actual_v2": wire_number(v2, 0),
            "actual_v3": wire_number(v3, 0),
            "actual_p1": wire_number(p1),
            "actual_p2": wire_number(p2),
            "actual_p3": wire_number(p3),
            "actual_kwh": round(point.session_kwh, 2),
            "activity": point.activity,
            "vehicle_status": point.vehicle_status,
            "max_usage": wire_number(point.max_usage),
            "smartcharging_max_usage": wire_number(point.smartcharging_max_usage),
            "max_offline": wire_number(point.max_offline),
            "offline_since": format_timestamp(point.offline_since),
            "start_datetime": format_timestamp(start),
            "stop_datetime": format_timestamp(point.last_stop),
            "total_cost": round(point.total_cost, 2),
        },
    }


def settings_object(
    account: SimAccount, point: SimChargePoint, options: SimulatorOptions
) -> JSONObject:
    """CH_SETTINGS (§3.5)."""
    return {
        "object": "CH_SETTINGS",
        "data": {
            "evse_id": point.evse_id,
            "model_type": point.model_type,
            "chargepoint_type": point.chargepoint_type,
            "is_cable": point.is_cable,
            "plug_and_charge": {"value": point.plug_and_charge, "permission": "write"},
            "public_charging": {"value": point.public_charging, "permission": "write"},
            "smart_charging": point.smart_charging,
            "smart_charging_dynamic": point.smart_charging_dynamic,
            "plug_and_charge_notification": point.plug_and_charge_notification,
            "default_card": card_ref(account, point.default_card),
            "preferred_card": card_ref(account, point.preferred_card),
            **pnc_card_fields(account, point, options),
            **(profile_fields(point) if options.settings_include_profiles else {}),
            "led_intensity": {"value": point.led_intensity, "permission": "none"},
            "led_interaction": {"value": point.led_interaction, "permission": "none"},
        },
    }


def socket_statuses(point: SimChargePoint) -> list[JSONObject]:
    """The per-socket status items of REST v2.1 `chargepointstatus` (pybluecurrent 0.4.1).

    The first socket carries the charge point's state (car, session, currents); every other
    socket reports an idle connector: available, or unavailable once set inoperative.
    """
    data = status_object(point, push=False)["data"]
    first, *others = point.socket_ids
    items = [data | {"socket_id": first, "boosting": point.boosting}]
    for socket_id in others:
        idle = dict.fromkeys(("actual_p1", "actual_p2", "actual_p3", "actual_kwh", "total_cost"), 0)
        activity = "unavailable" if socket_id in point.inoperative_sockets else "available"
        if not point.online:
            activity = "offline"
        items.append(
            data
            | idle
            | {
                "activity": activity,
                "vehicle_status": "A",
                "start_datetime": "",
                "stop_datetime": "",
                "socket_id": socket_id,
                "boosting": False,
            }
        )
    return items


def grid_status_object(account: SimAccount, grid: SimGrid) -> JSONObject:
    """The GRID_STATUS reply (§3.6)."""
    p1, p2, p3 = grid.currents(account.points_on(grid))
    return {
        "object": "GRID_STATUS",
        "data": {
            "id": grid.grid_id,
            "grid_actual_p1": wire_number(p1),
            "grid_actual_p2": wire_number(p2),
            "grid_actual_p3": wire_number(p3),
            "grid_max_install": wire_number(grid.max_install),
            "grid_max_reserved": wire_number(grid.max_reserved),
        },
    }


def grid_current_push(account: SimAccount, grid: SimGrid) -> JSONObject | None:
    """The GRID_CURRENT push, named after the grid's first charge point (None: no point)."""
    points = account.points_on(grid)
    if not points:
        return None
    p1, p2, p3 = grid.currents(points)
    return {
        "object": "GRID_CURRENT",
        "evse_id": points[0].evse_id,
        "grid_actual_p1": wire_number(p1),
        "grid_actual_p2": wire_number(p2),
        "grid_actual_p3": wire_number(p3),
    }
