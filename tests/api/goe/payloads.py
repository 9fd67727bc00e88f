"""The doc's example payloads (§11), shared by the model and fuzz tests."""

from __future__ import annotations

from typing import Any

IDLE_V4: dict[str, Any] = {
    "sse": "654321", "fna": "go-e Wallbox Testdata", "fwv": "055.7", "typ": "go-eCharger_V4",
    "oem": "go-e", "var": 11, "car": 1, "alw": False, "acu": None, "amp": 16, "ama": 16, "mca": 6,
    "tcl": None, "frc": 0, "psm": 0, "pnp": 1, "fsp": False, "lmo": 4, "fup": True, "awe": False,
    "awp": 3, "acs": 0, "trx": None, "err": 0, "modelStatus": 17, "cus": 3, "ust": 2, "lck": 2,
    "cbl": 32, "adi": True, "pha": [False, False, False, True, True, True], "tma": [28.5, 23],
    "amt": 32, "nrg": [233.74, 237.46, 235.29, 1.86, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    "tpa": 0, "wh": 0, "eto": 6, "dwo": None, "cdi": {"type": 1, "value": 0}, "fst": 1400,
    "spl3": 4200, "pgrid": None, "ppv": None, "pakku": None, "fhz": 50.045, "rssi": -86, "wst": 3,
    "rbc": 8, "rbt": 114835892, "clp": [6, 10, 12, 14, 16], "hai": True,
}  # fmt: skip

CHARGING: dict[str, Any] = {
    "car": 2, "alw": True, "acu": 16, "amp": 16, "frc": 2, "psm": 2, "pnp": 3, "modelStatus": 3,
    "err": 0, "cus": 3,
    "nrg": [231.2, 230.5, 232.0, 0.8, 15.9, 16.0, 15.8, 3640, 3652, 3622, 0, 10914, 99, 99, 99, 0],
    "tpa": 10890.5, "wh": 5321.4, "eto": 1234567, "cdi": {"type": 1, "value": 1754000},
    "tma": [31.0, 27.5],
}  # fmt: skip

CONTROLLER: dict[str, Any] = {
    "ccn": ["Home", "Grid", "Car", "Relais", "Solar", "Akku"],
    "ccp": [2823.99, -4658.055, None, None, 7482.045, None],
    "cec": [[34141.12, 7826.659], [15961.12, 122907.1], [0, 0], [0, 0], [136009.9, 1.508855],
            [0, 0]],
    "cpc": [[12.51552, 19.20388, 21.57067, None], [1.212599, 9.24908, 10.688, None],
            [None, None, None, None], [None, None, None, None],
            [11.30292, 9.954805, 10.88266, None], [None, None, None, None]],
    "usn": ["Internal 1"],
    "usv": [{"u1": 234.7242, "u2": 239.5702, "u3": 239.8172, "uN": 0.815918}],
    "isn": ["Internal 1", "Internal 2"],
    "isv": [{"i": 1.212599, "p": 43.549, "f": 0.153004},
            {"i": 9.24908, "p": -2169.455, "f": -0.979083}],
    "ips": [0, 1], "iim": [False, False], "sse": "123456", "fna": "go-e Controller Test Data",
    "fwv": "1.0.6", "typ": "controller",
}  # fmt: skip
