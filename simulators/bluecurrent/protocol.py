"""Names and numbers of the Blue Current wire protocol: paths, the error table, command groups.

Section numbers refer to /work/shared/protocols/bluecurrent.md.
"""

from __future__ import annotations

from typing import Any

type JSONObject = dict[str, Any]

HA_PATH = "/haserver"
APP_PATH = "/appserver/2.0"
REST_PREFIX = "/app/bc_api/api/v2.0"
# pybluecurrent 0.4.1: the per-socket status is served at v2.1, the charge point actions
# (set_status, unlock_connector) on the separate bce API
REST_STATUS_V21_PREFIX = "/app/bc_api/api/v2.1"
BCE_PREFIX = "/app/bce_api/api/v1"
REJECT_HEADER = "x-websocket-reject-reason"
LIMIT_REASON = "Request limit reached"
ALREADY_CONNECTED_REASON = "Already connected"
CLOSE_REQUEST_LIMIT = 4001
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# LIB's error table (§3.9)
ERROR_UNKNOWN_COMMAND = (0, "Unknown command")
ERROR_INVALID_AUTH = (1, "Invalid Auth Token")
ERROR_NOT_AUTHORIZED = (2, "Not authorized")
ERROR_UNKNOWN = (9, "Unknown error")
ERROR_LIMIT = (42, LIMIT_REASON)

# Commands answered with RECEIVED_<CMD> and STATUS_<CMD> (§3.7)
SETTING_COMMANDS = frozenset({"SET_PUBLIC_CHARGING", "SET_PLUG_AND_CHARGE"})
ACTION_COMMANDS = frozenset(
    {
        "SET_OPERATIVE",
        "SET_INOPERATIVE",
        "SOFT_RESET",
        "REBOOT",
        "UNLOCK_CONNECTOR",
        "START_SESSION",
        "STOP_SESSION",
    }
)
SMART_COMMANDS = frozenset(
    {
        "SET_DELAYED_CHARGING",
        "SAVE_SCHEDULE_DELAYED_CHARGING",
        "SET_PRICE_BASED_CHARGING",
        "SET_PRICE_BASED_SETTINGS",
        "PATCH_PRICE_BASED_CHARGING_SETTINGS",
        "OVERRIDE_CHARGING_PROFILES",
        "OVERRIDE_DELAYED_CHARGING_TIMEOUT",
    }
)
PNC_CARD_COMMAND = "SET_PLUG_AND_CHARGE_CHARGE_CARD"
TWO_STAGE_COMMANDS = SETTING_COMMANDS | ACTION_COMMANDS | SMART_COMMANDS | {PNC_CARD_COMMAND}
# Commands of the app that the HA server may refuse (SET_PRICE_BASED_SETTINGS is retired, §9.1)
APP_ONLY_COMMANDS = frozenset({"UNLOCK_CONNECTOR", PNC_CARD_COMMAND, "SET_PRICE_BASED_SETTINGS"})
