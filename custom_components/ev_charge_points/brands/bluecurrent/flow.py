"""Blue Current's config-flow steps: API token, reauth, reconfigure; the app login options.

The shared flow (`config_flow.py`) opens `step_bluecurrent` from its brand menu and hands
reauth and reconfigure of a Blue Current entry to the steps here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from homeassistant.util.ssl import get_default_context

from custom_components.ev_charge_points.api.bluecurrent import (
    DEFAULT_URL,
    BlueCurrentAlreadyConnectedError,
    BlueCurrentClient,
    BlueCurrentConnectionError,
    BlueCurrentInvalidTokenError,
    BlueCurrentRequestLimitError,
)
from custom_components.ev_charge_points.config_flow import (
    SECRET_SELECTOR,
    TOKEN_SCHEMA,
    form_text,
    with_server_url,
)
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, LOGGER
from custom_components.ev_charge_points.errors import format_reset_time
from custom_components.ev_charge_points.registry import CONF_BRAND

from .app_api import BlueCurrentAppApi
from .const import BRAND, CONF_APP_PASSWORD, CONF_APP_USERNAME, entry_title

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

_EMAIL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL))


@dataclass(slots=True)
class _Validation:
    """Outcome of checking a token against the server."""

    customer_id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def url_error(url: str) -> str | None:
    """Why the server URL cannot be used (None: it can).

    wss only, except plain ws to this machine (a simulator); never user info, which would
    put a credential in the URL and so in every place the URL is shown.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return "invalid_url"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "invalid_url"
    if not host:
        return "invalid_url"
    if parts.scheme == "wss" or (parts.scheme == "ws" and host in _LOOPBACK_HOSTS):
        return None
    return "invalid_url"


async def _async_validate(api_token: str, url: str) -> _Validation:
    """Validate the token (trimmed) against the server with the client's one-shot call."""
    result = _Validation()
    if (error := url_error(url)) is not None:
        result.errors[CONF_URL] = error
        return result
    if not api_token:
        result.errors[CONF_API_TOKEN] = "invalid_token"
        return result
    client = BlueCurrentClient(api_token, url=url, ssl_context=get_default_context())
    try:
        result.customer_id = await client.validate_token()
    except BlueCurrentInvalidTokenError:
        result.errors[CONF_API_TOKEN] = "invalid_token"
    except BlueCurrentRequestLimitError as err:
        result.errors["base"] = "limit_reached"
        result.placeholders["reset_time"] = format_reset_time(err.reset_at)
    except BlueCurrentAlreadyConnectedError:
        result.errors["base"] = "already_connected"
    except BlueCurrentConnectionError:
        result.errors["base"] = "cannot_connect"
    except Exception:  # noqa: BLE001 - the form must show something for any failure
        LOGGER.exception("Unexpected error while validating the Blue Current API token")
        result.errors["base"] = "unknown"
    finally:
        await client.disconnect()
    return result


_LOGIN_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_APP_USERNAME): _EMAIL_SELECTOR,
        vol.Optional(CONF_APP_PASSWORD): SECRET_SELECTOR,
    }
)


class BlueCurrentOptionsFlow(OptionsFlowWithReload):
    """The app login (e-mail and password), used only where the app socket refuses the token."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the login; an empty e-mail removes it."""
        entry = self.config_entry
        errors: dict[str, str] = {}
        if user_input is not None:
            username = str(user_input.get(CONF_APP_USERNAME, "")).strip()
            password = str(user_input.get(CONF_APP_PASSWORD, ""))
            if not username:
                return self.async_create_entry(data={})
            if not password:
                errors[CONF_APP_PASSWORD] = "password_required"
            else:
                errors = await BlueCurrentAppApi(self.hass, entry).async_check_login(
                    username, password
                )
            if not errors:
                return self.async_create_entry(
                    data={CONF_APP_USERNAME: username, CONF_APP_PASSWORD: password}
                )
        suggested = user_input if user_input is not None else dict(entry.options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                _LOGIN_SCHEMA, {CONF_APP_USERNAME: suggested.get(CONF_APP_USERNAME)}
            ),
            errors=errors,
        )


def _schema(flow: ConfigFlow, default_url: str) -> vol.Schema:
    return with_server_url(flow, {vol.Required(CONF_API_TOKEN): SECRET_SELECTOR}, default_url)


async def async_step_bluecurrent(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for the API token (and, in advanced mode, the server URL)."""
    errors: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    if user_input is not None:
        url = form_text(user_input, CONF_URL, DEFAULT_URL)
        token = form_text(user_input, CONF_API_TOKEN)
        result = await _async_validate(token, url)
        errors, placeholders = result.errors, result.placeholders
        if not errors and result.customer_id is not None:
            await flow.async_set_unique_id(result.customer_id)
            flow._abort_if_unique_id_configured()  # noqa: SLF001 - the ConfigFlow API
            return flow.async_create_entry(
                title=entry_title(result.customer_id),
                data={CONF_BRAND: BRAND, CONF_API_TOKEN: token, CONF_URL: url},
            )
    return flow.async_show_form(
        step_id="bluecurrent",
        data_schema=flow.add_suggested_values_to_schema(_schema(flow, DEFAULT_URL), user_input),
        errors=errors,
        description_placeholders=placeholders,
    )


async def async_step_reauth(
    flow: ConfigFlow,
    entry_data: Mapping[str, Any],  # noqa: ARG001 - the ConfigFlow API
) -> ConfigFlowResult:
    """The stored token was refused: ask for a new one."""
    return await async_step_reauth_confirm(flow)


async def async_step_reauth_confirm(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for a new API token of the same account."""
    entry = flow._get_reauth_entry()  # noqa: SLF001 - the ConfigFlow API
    errors: dict[str, str] = {}
    placeholders: dict[str, str] = {"title": entry.title}
    if user_input is not None:
        url = entry.data.get(CONF_URL, DEFAULT_URL)
        token = form_text(user_input, CONF_API_TOKEN)
        result = await _async_validate(token, url)
        errors = result.errors
        placeholders.update(result.placeholders)
        if not errors:
            await flow.async_set_unique_id(result.customer_id)
            flow._abort_if_unique_id_mismatch(  # noqa: SLF001 - the ConfigFlow API
                reason="wrong_account"
            )
            return flow.async_update_reload_and_abort(entry, data_updates={CONF_API_TOKEN: token})
    return flow.async_show_form(
        step_id="reauth_confirm",
        data_schema=TOKEN_SCHEMA,
        errors=errors,
        description_placeholders=placeholders,
    )


async def async_step_reconfigure(
    flow: ConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Change the token (or, in advanced mode, the server) of the same account."""
    entry = flow._get_reconfigure_entry()  # noqa: SLF001 - the ConfigFlow API
    current_url: str = entry.data.get(CONF_URL, DEFAULT_URL)
    errors: dict[str, str] = {}
    placeholders: dict[str, str] = {}
    if user_input is not None:
        url = form_text(user_input, CONF_URL, current_url)
        token = form_text(user_input, CONF_API_TOKEN)
        result = await _async_validate(token, url)
        errors, placeholders = result.errors, result.placeholders
        if not errors:
            await flow.async_set_unique_id(result.customer_id)
            flow._abort_if_unique_id_mismatch(  # noqa: SLF001 - the ConfigFlow API
                reason="wrong_account"
            )
            return flow.async_update_reload_and_abort(
                entry,
                data_updates={CONF_API_TOKEN: token, CONF_URL: url},
            )
    return flow.async_show_form(
        step_id="reconfigure",
        data_schema=flow.add_suggested_values_to_schema(_schema(flow, current_url), user_input),
        errors=errors,
        description_placeholders=placeholders,
    )


FLOW_STEPS: dict[str, Callable[[ConfigFlow, Any], Awaitable[ConfigFlowResult]]] = {
    "bluecurrent": async_step_bluecurrent,
    "reauth_brand": async_step_reauth,
    "reauth_confirm": async_step_reauth_confirm,
    "reconfigure_brand": async_step_reconfigure,
}
