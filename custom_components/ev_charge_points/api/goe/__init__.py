"""Async client for go-e chargers and controllers, HTTP API v2, local or cloud (no HA imports).

    client = GoeClient(LocalEndpoint("192.168.1.20"), session)           # or
    client = GoeClient(CloudEndpoint(serial, api_key, kind=DeviceKind.CHARGER), session)
    info = await client.detect()                        # kind, serial, name, firmware (config flow)
    status = await client.get_charger_status([KeyGroup.LIVE])   # one filtered request
    await client.set_current_limit(10)                  # raises GoeKeyRejectedError if refused

Catch `GoeError`; `GoeConnectionError` (incl. `GoeTimeoutError`) and `GoeDeviceOfflineError` mean
"try later", `GoeAuthError` means reauth, `GoeApiDisabledError` means "switch on HTTP API v2".
A cloud 403 is `GoeCloudForbiddenError`, both an auth and an offline error (the docs blur them).
"""

from .client import DEFAULT_TIMEOUT, GoeClient, keys_of, needs_legacy_filter
from .const import (
    CAR_CONNECTED_STATES,
    CHARGER_GROUPS,
    CONTROLLER_GROUPS,
    GROUP_KEYS,
    CableLockStatus,
    CarState,
    ChargerError,
    DeviceKind,
    ForceState,
    KeyGroup,
    LogicMode,
    ModelStatus,
    PhaseSwitchMode,
)
from .encoding import JsonValue, encode_set_query, encode_value
from .endpoint import CloudEndpoint, CloudHost, Endpoint, LocalEndpoint
from .exceptions import (
    GoeApiDisabledError,
    GoeAuthError,
    GoeBusyError,
    GoeCloudForbiddenError,
    GoeConnectionError,
    GoeDeviceOfflineError,
    GoeError,
    GoeHttpError,
    GoeInvalidResponseError,
    GoeKeyRejectedError,
    GoeNoRecentStatusError,
    GoeTimeoutError,
    GoeUnsupportedDeviceError,
    GoeValueError,
)
from .models import (
    ControllerCategory,
    CurrentSensor,
    EnergyReading,
    GoeChargerStatus,
    GoeControllerStatus,
    GoeDeviceInfo,
    InverterData,
    VoltageSensor,
    detect_device_kind,
    device_info,
    error_names,
)

__all__ = [
    "CAR_CONNECTED_STATES",
    "CHARGER_GROUPS",
    "CONTROLLER_GROUPS",
    "DEFAULT_TIMEOUT",
    "GROUP_KEYS",
    "CableLockStatus",
    "CarState",
    "ChargerError",
    "CloudEndpoint",
    "CloudHost",
    "ControllerCategory",
    "CurrentSensor",
    "DeviceKind",
    "Endpoint",
    "EnergyReading",
    "ForceState",
    "GoeApiDisabledError",
    "GoeAuthError",
    "GoeBusyError",
    "GoeChargerStatus",
    "GoeClient",
    "GoeCloudForbiddenError",
    "GoeConnectionError",
    "GoeControllerStatus",
    "GoeDeviceInfo",
    "GoeDeviceOfflineError",
    "GoeError",
    "GoeHttpError",
    "GoeInvalidResponseError",
    "GoeKeyRejectedError",
    "GoeNoRecentStatusError",
    "GoeTimeoutError",
    "GoeUnsupportedDeviceError",
    "GoeValueError",
    "InverterData",
    "JsonValue",
    "KeyGroup",
    "LocalEndpoint",
    "LogicMode",
    "ModelStatus",
    "PhaseSwitchMode",
    "VoltageSensor",
    "detect_device_kind",
    "device_info",
    "encode_set_query",
    "encode_value",
    "error_names",
    "keys_of",
    "needs_legacy_filter",
]
