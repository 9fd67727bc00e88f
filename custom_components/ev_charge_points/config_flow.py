"""Config flow for EV Charge Points (Blue Current API token)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType
from homeassistant.util.ssl import get_default_context

from .api.bluecurrent import (
    DEFAULT_URL,
    BlueCurrentAlreadyConnectedError,
    BlueCurrentClient,
    BlueCurrentConnectionError,
    BlueCurrentInvalidTokenError,
    BlueCurrentLoginError,
    BlueCurrentRequestLimitError,
    app_login,
    app_url_for,
)
from .const import CONF_API_TOKEN, CONF_URL, DOMAIN, LOGGER
from .errors import format_reset_time
from .history import CONF_APP_PASSPHRASE, CONF_APP_PASSWORD, CONF_APP_USERNAME, REAUTH_APP_LOGIN

if TYPE_CHECKING:
    from collections.abc import Mapping

_TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
_EMAIL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL))


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


async def _async_validate_login(
    entry: ConfigEntry, username: str, password: str, passphrase: str
) -> dict[str, str]:
    """Log in on the app socket once; the errors for the form (empty when it worked)."""
    url = app_url_for(entry.data.get(CONF_URL, DEFAULT_URL))
    try:
        await app_login(
            username, password, passphrase=passphrase, url=url, ssl_context=get_default_context()
        )
    except BlueCurrentLoginError:
        return {"base": "invalid_login"}
    except BlueCurrentRequestLimitError:
        return {"base": "limit_reached"}
    except BlueCurrentConnectionError:
        return {"base": "cannot_connect"}
    except Exception:  # noqa: BLE001 - the form must show something for any failure
        LOGGER.exception("Unexpected error while checking the Blue Current app login")
        return {"base": "unknown"}
    return {}


def _login_schema(*, advanced: bool) -> vol.Schema:
    schema: dict[vol.Marker, Any] = {
        vol.Optional(CONF_APP_USERNAME): _EMAIL_SELECTOR,
        vol.Optional(CONF_APP_PASSWORD): _TOKEN_SELECTOR,
    }
    if advanced:
        # The app's SJCL passphrase is not shipped (§1.4 B): only settable in advanced mode.
        schema[vol.Optional(CONF_APP_PASSPHRASE)] = _TOKEN_SELECTOR
    return vol.Schema(schema)


class EVChargePointsOptionsFlow(OptionsFlowWithReload):
    """The account's app login (e-mail and password), for the charging history."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the login; an empty e-mail removes it."""
        entry = self.config_entry
        errors: dict[str, str] = {}
        if user_input is not None:
            username = str(user_input.get(CONF_APP_USERNAME, "")).strip()
            password = str(user_input.get(CONF_APP_PASSWORD, ""))
            passphrase = str(
                user_input.get(CONF_APP_PASSPHRASE, entry.options.get(CONF_APP_PASSPHRASE, ""))
            )
            if not username:
                return self.async_create_entry(data={})
            if not password:
                errors[CONF_APP_PASSWORD] = "password_required"
            else:
                errors = await _async_validate_login(entry, username, password, passphrase)
            if not errors:
                return self.async_create_entry(
                    data={
                        CONF_APP_USERNAME: username,
                        CONF_APP_PASSWORD: password,
                        CONF_APP_PASSPHRASE: passphrase,
                    }
                )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                _login_schema(advanced=self.show_advanced_options),
                user_input if user_input is not None else dict(entry.options),
            ),
            errors=errors,
        )


class EVChargePointsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Blue Current account; reauthenticate or reconfigure it later."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> EVChargePointsOptionsFlow:  # noqa: ARG004
        """The options: the app login for the charging history."""
        return EVChargePointsOptionsFlow()

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
        entry_data: Mapping[str, Any],
    ) -> ConfigFlowResult:
        """The stored token (or the history's app login) was refused: ask for a new one."""
        if entry_data.get(REAUTH_APP_LOGIN):
            return await self.async_step_reauth_login()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_login(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the app login again (the charging history uses it)."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            username = str(user_input[CONF_APP_USERNAME]).strip()
            password = str(user_input[CONF_APP_PASSWORD])
            passphrase = str(entry.options.get(CONF_APP_PASSPHRASE, ""))
            errors = await _async_validate_login(entry, username, password, passphrase)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    options={
                        **entry.options,
                        CONF_APP_USERNAME: username,
                        CONF_APP_PASSWORD: password,
                    },
                )
        return self.async_show_form(
            step_id="reauth_login",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_APP_USERNAME): _EMAIL_SELECTOR,
                        vol.Required(CONF_APP_PASSWORD): _TOKEN_SELECTOR,
                    }
                ),
                {CONF_APP_USERNAME: entry.options.get(CONF_APP_USERNAME)},
            ),
            errors=errors,
            description_placeholders={"title": entry.title},
        )

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
