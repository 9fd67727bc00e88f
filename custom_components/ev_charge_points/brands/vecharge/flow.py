"""veCharge's config-flow steps: token and charger id, reauth, reconfigure.

Every step validates by connecting once (the server sends the charger's document) and
disconnecting. The charger id is the entry's unique id: one entry per charger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType

from custom_components.ev_charge_points.api.vecharge import (
    DEFAULT_BASE_URL,
    VeChargeAuthError,
    VeChargeClient,
    VeChargeConnectionError,
    VeChargeRefusedError,
    VeChargeUnknownChargerError,
)
from custom_components.ev_charge_points.config_flow import (
    SECRET_SELECTOR,
    TOKEN_SCHEMA,
    form_text,
    with_server_url,
)
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, LOGGER
from custom_components.ev_charge_points.registry import CONF_BRAND

from .const import BRAND, CONF_CHARGER_ID, MANUFACTURER

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
    from homeassistant.core import HomeAssistant

_TEXT_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.TEXT))

STEP_USER = BRAND
STEP_REAUTH = "vecharge_reauth"
STEP_RECONFIGURE = "vecharge_reconfigure"


async def _async_validate(
    hass: HomeAssistant, *, token: str, charger_id: str, url: str
) -> dict[str, str]:
    """Connect once with the token and charger id; the form's errors (empty: it worked)."""
    client = VeChargeClient(
        token=token,
        charger_id=charger_id,
        base_url=url,
        session=async_get_clientsession(hass),
    )
    try:
        await client.connect()
    except VeChargeAuthError:
        return {CONF_API_TOKEN: "vecharge_invalid_token"}
    except VeChargeUnknownChargerError:
        return {CONF_CHARGER_ID: "vecharge_unknown_charger"}
    except VeChargeRefusedError:
        return {"base": "vecharge_refused"}
    except VeChargeConnectionError:
        return {"base": "vecharge_cannot_connect"}
    except Exception:  # noqa: BLE001 - the form must show something for any failure
        LOGGER.exception("Unexpected error while checking the veCharge token and charger id")
        return {"base": "unknown"}
    finally:
        await client.close()
    return {}


def _user_schema(flow: ConfigFlow, default_url: str) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_API_TOKEN): SECRET_SELECTOR,
        vol.Required(CONF_CHARGER_ID): _TEXT_SELECTOR,
    }
    return with_server_url(flow, fields, default_url)


async def async_step_vecharge(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for the token and the charger id (and, in advanced mode, the server URL)."""
    errors: dict[str, str] = {}
    if user_input is not None:
        token = form_text(user_input, CONF_API_TOKEN)
        charger_id = form_text(user_input, CONF_CHARGER_ID)
        url = form_text(user_input, CONF_URL, DEFAULT_BASE_URL)
        if any(entry.unique_id == charger_id for entry in flow._async_current_entries()):  # noqa: SLF001
            return flow.async_abort(reason="vecharge_already_configured")
        if not charger_id:
            errors[CONF_CHARGER_ID] = "vecharge_unknown_charger"
        else:
            errors = await _async_validate(flow.hass, token=token, charger_id=charger_id, url=url)
        if not errors:
            await flow.async_set_unique_id(charger_id)
            return flow.async_create_entry(
                title=f"{MANUFACTURER} {charger_id}",
                data={
                    CONF_BRAND: BRAND,
                    CONF_API_TOKEN: token,
                    CONF_CHARGER_ID: charger_id,
                    CONF_URL: url,
                },
            )
    return flow.async_show_form(
        step_id=STEP_USER,
        data_schema=flow.add_suggested_values_to_schema(
            _user_schema(flow, DEFAULT_BASE_URL), user_input
        ),
        errors=errors,
    )


async def async_step_reauth(flow: ConfigFlow, entry_data: Mapping[str, Any]) -> ConfigFlowResult:  # noqa: ARG001
    """The token (or the charger id with it) was refused: ask for a new token."""
    return await async_step_reauth_confirm(flow)


async def async_step_reauth_confirm(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for a new token for the same charger."""
    entry = flow._get_reauth_entry()  # noqa: SLF001 - the ConfigFlow API
    errors: dict[str, str] = {}
    if user_input is not None:
        token = form_text(user_input, CONF_API_TOKEN)
        errors = await _async_validate(
            flow.hass,
            token=token,
            charger_id=entry.data[CONF_CHARGER_ID],
            url=entry.data.get(CONF_URL, DEFAULT_BASE_URL),
        )
        if errors.pop(CONF_CHARGER_ID, None) is not None:
            # The charger id is fixed here: say so on the form, not on a field it lacks.
            errors["base"] = "vecharge_unknown_charger"
        if not errors:
            return flow.async_update_reload_and_abort(entry, data_updates={CONF_API_TOKEN: token})
    return flow.async_show_form(
        step_id=STEP_REAUTH,
        data_schema=TOKEN_SCHEMA,
        errors=errors,
        description_placeholders={"title": entry.title, "charger_id": entry.data[CONF_CHARGER_ID]},
    )


async def async_step_reconfigure(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Change the token (or, in advanced mode, the server) of the same charger."""
    entry = flow._get_reconfigure_entry()  # noqa: SLF001 - the ConfigFlow API
    current_url: str = entry.data.get(CONF_URL, DEFAULT_BASE_URL)
    errors: dict[str, str] = {}
    if user_input is not None:
        token = form_text(user_input, CONF_API_TOKEN)
        url = form_text(user_input, CONF_URL, current_url)
        errors = await _async_validate(
            flow.hass, token=token, charger_id=entry.data[CONF_CHARGER_ID], url=url
        )
        if errors.pop(CONF_CHARGER_ID, None) is not None:
            errors["base"] = "vecharge_unknown_charger"
        if not errors:
            return flow.async_update_reload_and_abort(
                entry, data_updates={CONF_API_TOKEN: token, CONF_URL: url}
            )
    return flow.async_show_form(
        step_id=STEP_RECONFIGURE,
        data_schema=with_server_url(
            flow, {vol.Required(CONF_API_TOKEN): SECRET_SELECTOR}, current_url
        ),
        errors=errors,
        description_placeholders={"charger_id": entry.data[CONF_CHARGER_ID]},
    )


FLOW_STEPS: dict[str, Callable[[ConfigFlow, Any], Awaitable[ConfigFlowResult]]] = {
    STEP_USER: async_step_vecharge,
    "reauth_brand": async_step_reauth,
    STEP_REAUTH: async_step_reauth_confirm,
    "reconfigure_brand": async_step_reconfigure,
    STEP_RECONFIGURE: async_step_reconfigure,
}
