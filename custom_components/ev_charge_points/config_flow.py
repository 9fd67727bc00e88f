"""Config flow for EV Charge Points (Blue Current API token)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from homeassistant.util.ssl import get_default_context

from .api.bluecurrent import (
    DEFAULT_URL,
    BlueCurrentAlreadyConnectedError,
    BlueCurrentClient,
    BlueCurrentConnectionError,
    BlueCurrentInvalidTokenError,
    BlueCurrentRequestLimitError,
)
from .const import CONF_API_TOKEN, CONF_URL, DOMAIN, LOGGER
from .coordinator import format_reset_time

if TYPE_CHECKING:
    from collections.abc import Mapping

_TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))


@dataclass(slots=True)
class _Validation:
    """Outcome of checking a token against the server."""

    customer_id: str | None = None
    email: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)


async def _async_validate(api_token: str, url: str) -> _Validation:
    """Validate the token and read the account's e-mail with the client's one-shot calls."""
    result = _Validation()
    client = BlueCurrentClient(api_token, url=url, ssl_context=get_default_context())
    try:
        result.customer_id = await client.validate_token()
        account = await client.get_account()
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
    else:
        result.email = account.login or account.email or result.customer_id
    finally:
        await client.disconnect()
    return result


class EVChargePointsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Blue Current account; reauthenticate or reconfigure it later."""

    VERSION = 1

    def _schema(self, default_url: str) -> vol.Schema:
        schema: dict[vol.Marker, Any] = {vol.Required(CONF_API_TOKEN): _TOKEN_SELECTOR}
        if self.show_advanced_options:
            # Lets a developer point the integration at the protocol simulator.
            schema[vol.Required(CONF_URL, default=default_url)] = _URL_SELECTOR
        return vol.Schema(schema)

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the API token (and, in advanced mode, the server URL)."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            url = user_input.get(CONF_URL, DEFAULT_URL)
            result = await _async_validate(user_input[CONF_API_TOKEN], url)
            errors, placeholders = result.errors, result.placeholders
            if not errors:
                await self.async_set_unique_id(result.customer_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=result.email or "Blue Current",
                    data={CONF_API_TOKEN: user_input[CONF_API_TOKEN], CONF_URL: url},
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(self._schema(DEFAULT_URL), user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002 - the entry is read via _get_reauth_entry
    ) -> ConfigFlowResult:
        """The stored token was refused: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new API token of the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"title": entry.title}
        if user_input is not None:
            url = entry.data.get(CONF_URL, DEFAULT_URL)
            result = await _async_validate(user_input[CONF_API_TOKEN], url)
            errors = result.errors
            placeholders.update(result.placeholders)
            if not errors:
                await self.async_set_unique_id(result.customer_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_API_TOKEN: user_input[CONF_API_TOKEN]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_TOKEN): _TOKEN_SELECTOR}),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the token (or, in advanced mode, the server) of the same account."""
        entry = self._get_reconfigure_entry()
        current_url: str = entry.data.get(CONF_URL, DEFAULT_URL)
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            url = user_input.get(CONF_URL, current_url)
            result = await _async_validate(user_input[CONF_API_TOKEN], url)
            errors, placeholders = result.errors, result.placeholders
            if not errors:
                await self.async_set_unique_id(result.customer_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_API_TOKEN: user_input[CONF_API_TOKEN], CONF_URL: url},
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(self._schema(current_url), user_input),
            errors=errors,
            description_placeholders=placeholders,
        )
