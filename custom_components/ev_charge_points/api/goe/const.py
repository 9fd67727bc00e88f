"""Wire constants of the go-e HTTP API v2: key groups and enums (protocol doc §4-§7).

Enums stay open: parsers hand back the enum member for a documented code and the bare int for
a code newer than the docs, so firmware that adds a reason or an error never breaks an update.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Final

# --- key groups: one filtered /api/status request asks only for what an update needs ---------

KEYS_LIVE: Final = (
    "car",
    "modelStatus",
    "err",
    "alw",
    "acu",
    "amp",
    "tcl",
    "frc",
    "pnp",
    "nrg",
    "wh",
    "tpa",
    "tma",
    "cus",
    "cdi",
    "pgrid",
    "ppv",
    "pakku",
)
KEYS_CONFIGURATION: Final = (
    "ama",
    "mca",
    "psm",
    "lmo",
    "fup",
    "dwo",
    "ust",
    "lck",
    "acs",
    "trx",
    "fst",
    "spl3",
    "cbl",
    "adi",
    "clp",
    "awe",
    "awp",
)
KEYS_IDENTITY: Final = ("sse", "typ", "var", "oem", "fna", "fwv")
KEYS_STATISTICS: Final = ("eto", "rbc", "rbt", "fhz", "rssi", "wst", "amt", "pha")
KEYS_CONTROLLER_CATEGORIES: Final = ("ccn", "ccp", "cec", "cpc")
KEYS_CONTROLLER_SENSORS: Final = ("usn", "usv", "isn", "isv", "ips", "iim")


class KeyGroup(StrEnum):
    """Named sets of status keys a caller can ask for together."""

    LIVE = "live"
    CONFIGURATION = "configuration"
    IDENTITY = "identity"
    STATISTICS = "statistics"
    CONTROLLER_CATEGORIES = "controller_categories"
    CONTROLLER_SENSORS = "controller_sensors"


GROUP_KEYS: Final[dict[KeyGroup, tuple[str, ...]]] = {
    KeyGroup.LIVE: KEYS_LIVE,
    KeyGroup.CONFIGURATION: KEYS_CONFIGURATION,
    KeyGroup.IDENTITY: KEYS_IDENTITY,
    KeyGroup.STATISTICS: KEYS_STATISTICS,
    KeyGroup.CONTROLLER_CATEGORIES: KEYS_CONTROLLER_CATEGORIES,
    KeyGroup.CONTROLLER_SENSORS: KEYS_CONTROLLER_SENSORS,
}
CHARGER_GROUPS: Final = (
    KeyGroup.LIVE,
    KeyGroup.CONFIGURATION,
    KeyGroup.IDENTITY,
    KeyGroup.STATISTICS,
)
CONTROLLER_GROUPS: Final = (
    KeyGroup.IDENTITY,
    KeyGroup.CONTROLLER_CATEGORIES,
    KeyGroup.CONTROLLER_SENSORS,
)

CONTROLLER_TYPE: Final = "controller"
CHARGER_TYPE_PREFIX: Final = "go-eCharger"


class DeviceKind(StrEnum):
    """Which go-e product answers (decides the key groups and the cloud host)."""

    CHARGER = "charger"
    CONTROLLER = "controller"


class CarState(IntEnum):
    """`car`: the charge state (§4 #1)."""

    UNKNOWN = 0
    IDLE = 1
    CHARGING = 2
    WAIT_CAR = 3
    COMPLETE = 4
    ERROR = 5
    INITIALIZING = 6


CAR_CONNECTED_STATES: Final = frozenset({CarState.CHARGING, CarState.WAIT_CAR, CarState.COMPLETE})


class ForceState(IntEnum):
    """`frc`: neutral lets the charger's own logic decide; off stops; on charges now."""

    NEUTRAL = 0
    OFF = 1
    ON = 2


class PhaseSwitchMode(IntEnum):
    """`psm` (fw >= 055.5; firmware 051.8-055.x knows only 1 and 2)."""

    AUTO = 0
    FORCE_SINGLE = 1
    FORCE_THREE = 2


class LogicMode(IntEnum):
    """`lmo`: default, eco (Awattar / PV surplus) or automatic stop ("next trip")."""

    DEFAULT = 3
    ECO = 4
    AUTOMATIC_STOP = 5


class CableLockStatus(IntEnum):
    """`cus`."""

    UNKNOWN = 0
    UNLOCKED = 1
    UNLOCK_FAILED = 2
    LOCKED = 3
    LOCK_FAILED = 4
    LOCK_UNLOCK_POWEROUT = 5


class ModelStatus(IntEnum):
    """`modelStatus`: why the charger charges or not (curated list, §5; 21 and 25 unassigned)."""

    NOT_CHARGING_NO_CHARGE_CTRL_DATA = 0
    NOT_CHARGING_OVERTEMPERATURE = 1
    NOT_CHARGING_ACCESS_CONTROL_WAIT = 2
    CHARGING_FORCE_STATE_ON = 3
    NOT_CHARGING_FORCE_STATE_OFF = 4
    NOT_CHARGING_SCHEDULER = 5
    NOT_CHARGING_ENERGY_LIMIT = 6
    CHARGING_AWATTAR_PRICE_LOW = 7
    CHARGING_AUTOMATIC_STOP_TEST_LADUNG = 8
    CHARGING_AUTOMATIC_STOP_NOT_ENOUGH_TIME = 9
    CHARGING_AUTOMATIC_STOP = 10
    CHARGING_AUTOMATIC_STOP_NO_CLOCK = 11
    CHARGING_PV_SURPLUS = 12
    CHARGING_FALLBACK_GO_E_DEFAULT = 13
    CHARGING_FALLBACK_GO_E_SCHEDULER = 14
    CHARGING_FALLBACK_DEFAULT = 15
    NOT_CHARGING_FALLBACK_GO_E_AWATTAR = 16
    NOT_CHARGING_FALLBACK_AWATTAR = 17
    NOT_CHARGING_FALLBACK_AUTOMATIC_STOP = 18
    CHARGING_CAR_COMPATIBILITY_KEEP_ALIVE = 19
    CHARGING_CHARGE_PAUSE_NOT_ALLOWED = 20
    NOT_CHARGING_SIMULATE_UNPLUGGING = 22
    NOT_CHARGING_PHASE_SWITCH = 23
    NOT_CHARGING_MIN_PAUSE_DURATION = 24
    NOT_CHARGING_ERROR = 26
    NOT_CHARGING_LOAD_MANAGEMENT_DOESNT_WANT = 27
    NOT_CHARGING_OCPP_DOESNT_WANT = 28
    NOT_CHARGING_RECONNECT_DELAY = 29
    NOT_CHARGING_ADAPTER_BLOCKING = 30
    NOT_CHARGING_UNDERFREQUENCY_CONTROL = 31
    NOT_CHARGING_UNBALANCED_LOAD = 32
    CHARGING_DISCHARGING_PV_BATTERY = 33
    NOT_CHARGING_GRID_MONITORING = 34
    NOT_CHARGING_OCPP_FALLBACK = 35
    NOT_CHARGING_FLOOR_DETECTED = 36
    NOT_CHARGING_OCPP_INOPERABLE = 37
    NOT_CHARGING_UNDERVOLTAGE_CONTROL = 38
    NOT_CHARGING_ZERO_SETPOINT = 39
    NOT_CHARGING_INITIALIZING = 40
    NOT_CHARGING_FAILSAFE_LIMIT = 41


class ChargerError(IntEnum):
    """`err` codes 0-10: the two published lists agree on these (§6)."""

    NONE = 0
    FI_AC = 1
    FI_DC = 2
    PHASE = 3
    OVERVOLT = 4
    OVERAMP = 5
    DIODE = 6
    PP_INVALID = 7
    GND_INVALID = 8
    CONTACTOR_STUCK = 9
    CONTACTOR_MISS = 10


# Codes above 10 mean different things in the curated list and the firmware export (§6):
# a client cannot know which list a device follows, so it names both.
ERROR_NAMES_CURATED: Final[dict[int, str]] = {
    11: "FiUnknown",
    12: "Unknown",
    13: "Overtemp",
    14: "NoComm",
    15: "StatusLockStuckOpen",
    16: "StatusLockStuckLocked",
    **{code: f"Reserved{code}" for code in range(20, 25)},
}
ERROR_NAMES_FIRMWARE: Final[dict[int, str]] = {
    12: "StatusLockStuckOpen",
    13: "StatusLockStuckLocked",
    14: "FiUnknown",
    15: "Unknown",
    16: "Overtemp",
    17: "NoComm",
    18: "CpInvalid",
    23: "RdcSelfTestFailed",
}

# `nrg` slots (§4.1).
NRG_LENGTH: Final = 16
