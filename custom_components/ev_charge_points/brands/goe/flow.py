"""go-e's config-flow steps: local (host) or cloud (serial + API key), reauth, reconfigure.

The device type (charger or controller) and the serial come from the device itself
(`GoeClient.detect`); the serial is the entry's unique id, so the same device is never added
twice, whether locally or through the cloud. Discovery on the LAN is left out for now: the
mDNS service names are not firm (see README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol

from custom_components.ev_charge_points.api.goe import (
    GoeApiDisabledError,
    GoeAuthError,
    GoeBusyError,
    GoeClient,
    GoeCloudForbiddenError,
    GoeConnectionError,
    GoeDeviceInfo,
    GoeDeviceOfflineError,
    GoeError,
    GoeInvalidResponseError,
)
from custom_components.ev_charge_points.config_flow import SECRET_SELECTOR
from custom_components.ev_charge_points.const import LOGGER
from custom_components.ev_charge_points.registry import CONF_BRAND

from .connect import cloud_client, local_client
from .const import (
    BRAND,
    CONF_API_KEY,
    CONF_CONNECTION,
    CONF_HOST,
    CONF_KIND,
    CONF_SERIAL,
    CONNECTION_CLOUD,
    CONNECTION_LOCAL,
    MANUFACTURER,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

STEP_LOCAL = "goe_local"
STEP_CLOUD = "goe_cloud"
STEP_REAUTH = "goe_reauth"
STEP_RECONFIGURE = "goe_reconfigure"

_HOST_SCHEMA = vol.Schema({vol.Required(CONF_HOST): str})
_CLOUD_SCHEMA = vol.Schema(
    {vol.Required(CONF_SERIAL): str, vol.Required(CONF_API_KEY): SECRET_SELECTOR}
)
_KEY_SCHEMA = vol.Schema({vol.Required(CONF_API_KEY): SECRET_SELECTOR})


# Failures and the form error each shows, most specific first (a cloud 403 is both an auth
# and an offline error: its own message names both causes).
_FORM_ERRORS: tuple[tuple[type[Exception], str, str], ...] = (
    (GoeApiDisabledError, "base", "api_disabled"),
    (GoeCloudForbiddenError, "base", "cloud_forbidden"),
    (GoeAuthError, CONF_API_KEY, "invalid_api_key"),
    (GoeDeviceOfflineError, "base", "device_offline"),
    (GoeBusyError, "base", "device_busy"),
    (GoeInvalidResponseError, "base", "not_a_goe_device"),
    (GoeConnectionError, "base", "goe_cannot_connect"),
    (GoeError, "base", "goe_cannot_connect"),
)


async def _async_detect(client: GoeClient) -> tuple[GoeDeviceInfo | None, dict[str, str]]:
    """Ask the device who it is; the form's errors when that fails."""
    try:
        info = await client.detect()
    except GoeError as err:
        field, key = next((f, k) for kind, f, k in _FORM_ERRORS if isinstance(err, kind))
        return None, {field: key}
    except Exception:  # noqa: BLE001 - the form must show something for any failure
        LOGGER.exception("Unexpected error while reaching a go-e device")
        return None, {"base": "unknown"}
    if not info.serial:
        return None, {"base": "not_a_goe_device"}
    return info, {}


def _title(info: GoeDeviceInfo) -> str:
    return info.friendly_name or f"{MANUFACTURER} {info.serial}"


async def _async_create(
    flow: ConfigFlow, info: GoeDeviceInfo, data: dict[str, Any]
) -> ConfigFlowResult:
    assert info.serial is not None  # noqa: S101 - checked by _async_detect
    await flow.async_set_unique_id(info.serial)
    flow._abort_if_unique_id_configured(updates=data)  # noqa: SLF001 - ConfigFlow's own helper
    return flow.async_create_entry(
        title=_title(info),
        data={CONF_BRAND: BRAND, CONF_SERIAL: info.serial, CONF_KIND: info.kind.value, **data},
    )


async def async_step_goe(
    flow: ConfigFlow,
    user_input: dict[str, Any] | None = None,  # noqa: ARG001 - a menu takes no input
) -> ConfigFlowResult:
    """Local (on the LAN) or through the go-e cloud."""
    return flow.async_show_menu(step_id=BRAND, menu_options=[STEP_LOCAL, STEP_CLOUD])


async def async_step_goe_local(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """The device's host name or address on the LAN."""
    errors: dict[str, str] = {}
    if user_input is not None:
        host = user_input[CONF_HOST].strip()
        info, errors = await _async_detect(local_client(flow.hass, host))
        if info is not None:
            return await _async_create(
                flow, info, {CONF_CONNECTION: CONNECTION_LOCAL, CONF_HOST: host}
            )
    return flow.async_show_form(
        step_id=STEP_LOCAL,
        data_schema=flow.add_suggested_values_to_schema(_HOST_SCHEMA, user_input),
        errors=errors,
    )


async def async_step_goe_cloud(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """The device's serial and its cloud API key (go-e app: Internet, advanced settings)."""
    errors: dict[str, str] = {}
    if user_input is not None:
        serial, key = user_input[CONF_SERIAL].strip(), user_input[CONF_API_KEY].strip()
        if not serial.isdigit():
            errors[CONF_SERIAL] = "invalid_serial"
        else:
            info, errors = await _async_detect(cloud_client(flow.hass, serial, key))
            if info is not None:
                return await _async_create(
                    flow, info, {CONF_CONNECTION: CONNECTION_CLOUD, CONF_API_KEY: key}
                )
    return flow.async_show_form(
        step_id=STEP_CLOUD,
        data_schema=flow.add_suggested_values_to_schema(
            _CLOUD_SCHEMA, {CONF_SERIAL: (user_input or {}).get(CONF_SERIAL)}
        ),
        errors=errors,
    )


async def async_step_reauth_brand(
    flow: ConfigFlow,
    entry_data: Mapping[str, Any],  # noqa: ARG001 - the entry is read below
) -> ConfigFlowResult:
    """The cloud refused the API key: ask for a new one."""
    return await async_step_goe_reauth(flow)


async def async_step_goe_reauth(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """A new cloud API key for the same device."""
    entry = flow._get_reauth_entry()  # noqa: SLF001 - ConfigFlow's own helper
    errors: dict[str, str] = {}
    if user_input is not None:
        key = user_input[CONF_API_KEY].strip()
        info, errors = await _async_detect(cloud_client(flow.hass, entry.data[CONF_SERIAL], key))
        if info is not None:
            if info.serial != entry.unique_id:
                return flow.async_abort(reason="wrong_device")
            return flow.async_update_reload_and_abort(entry, data_updates={CONF_API_KEY: key})
    return flow.async_show_form(
        step_id=STEP_REAUTH,
        data_schema=_KEY_SCHEMA,
        errors=errors,
        description_placeholders={"serial": entry.data[CONF_SERIAL]},
    )


async def async_step_reconfigure_brand(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Reconfigure a go-e entry (its own form, see below)."""
    return await async_step_goe_reconfigure(flow, user_input)


async def async_step_goe_reconfigure(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """A new host (local) or API key (cloud) for the same device."""
    entry = flow._get_reconfigure_entry()  # noqa: SLF001 - ConfigFlow's own helper
    cloud = entry.data.get(CONF_CONNECTION) == CONNECTION_CLOUD
    errors: dict[str, str] = {}
    if user_input is not None:
        if cloud:
            key = user_input[CONF_API_KEY].strip()
            client = cloud_client(flow.hass, entry.data[CONF_SERIAL], key)
            updates = {CONF_API_KEY: key}
        else:
            host = user_input[CONF_HOST].strip()
            client = local_client(flow.hass, host)
            updates = {CONF_HOST: host}
        info, errors = await _async_detect(client)
        if info is not None:
            if info.serial != entry.unique_id:
                return flow.async_abort(reason="wrong_device")
            return flow.async_update_reload_and_abort(entry, data_updates=updates)
    schema = _KEY_SCHEMA if cloud else _HOST_SCHEMA
    suggested = None if cloud else {CONF_HOST: entry.data.get(CONF_HOST)}
    return flow.async_show_form(
        step_id=STEP_RECONFIGURE,
        data_schema=flow.add_suggested_values_to_schema(schema, suggested),
        errors=errors,
    )


FLOW_STEPS: dict[str, Callable[..., Awaitable[ConfigFlowResult]]] = {
    BRAND: async_step_goe,
    STEP_LOCAL: async_step_goe_local,
    STEP_CLOUD: async_step_goe_cloud,
    STEP_REAUTH: async_step_goe_reauth,
    STEP_RECONFIGURE: async_step_goe_reconfigure,
    "reauth_brand": async_step_reauth_brand,
    "reconfigure_brand": async_step_reconfigure_brand,
}
