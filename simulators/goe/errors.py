"""The two `err` lists of the protocol doc §6, so /control can raise an error by name."""

from __future__ import annotations

from typing import Final, Literal

type ErrorList = Literal["curated", "firmware"]

COMMON: Final = [
    "None",
    "FiAc",
    "FiDc",
    "Phase",
    "Overvolt",
    "Overamp",
    "Diode",
    "PpInvalid",
    "GndInvalid",
    "ContactorStuck",
    "ContactorMiss",
]
CURATED: Final[dict[str, int]] = {
    **{name: code for code, name in enumerate(COMMON)},
    "FiUnknown": 11,
    "Unknown": 12,
    "Overtemp": 13,
    "NoComm": 14,
    "StatusLockStuckOpen": 15,
    "StatusLockStuckLocked": 16,
    **{f"Reserved{code}": code for code in range(20, 25)},
}
FIRMWARE: Final[dict[str, int]] = {
    **{name: code for code, name in enumerate(COMMON)},
    "StatusLockStuckOpen": 12,
    "StatusLockStuckLocked": 13,
    "FiUnknown": 14,
    "Unknown": 15,
    "Overtemp": 16,
    "NoComm": 17,
    "CpInvalid": 18,
    "RdcSelfTestFailed": 23,
}


def error_code(name: str, error_list: ErrorList) -> int:
    """The code of an error name in the chosen list (KeyError if that list lacks it)."""
    return (CURATED if error_list == "curated" else FIRMWARE)[name]
