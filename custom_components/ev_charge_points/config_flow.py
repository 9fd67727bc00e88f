"""Config flow: the first step chooses the brand; the brand's own steps do the rest.

The menu lists every registered brand (`registry.py`); choosing one opens the step named
like the brand's key. Every later step (the brand's form, reauth, reconfigure) is the
brand's: an entry's steps are looked up in its brand's `flow_steps`. The pieces of those forms
that mean the same for every brand (secret fields, the API token, the server URL a developer
may change) are defined once here.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig, TextSelectorType

from .const import CONF_API_TOKEN, CONF_URL, DOMAIN
from .registry import brand_of, registered_brands

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from .registry import Brand
    from .runtime import EVChargePointsConfigEntry

_STEP_PREFIX = "async_step_"

# A field whose value is a secret (token, key, password): never shown as typed.
SECRET_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
# The reauth form of a brand whose credential is one API token.
TOKEN_SCHEMA = vol.Schema({vol.Required(CONF_API_TOKEN): SECRET_SELECTOR})


def with_server_url(
    flow: ConfigFlow, fields: dict[vol.Marker, Any], default_url: str
) -> vol.Schema:
    """The form's fields and, in advanced mode, the server URL (`default_url` pre-filled).

    Lets a developer point the integration at the brand's protocol simulator.
    """
    if flow.show_advanced_options:
        fields = {**fields, vol.Required(CONF_URL, default=default_url): URL_SELECTOR}
    return vol.Schema(fields)


def form_text(user_input: Mapping[str, Any], key: str, default: str = "") -> str:
    """A text field of a submitted form, trimmed (`default` where the form had no such field)."""
    return str(user_input.get(key, default)).strip()


class EVChargePointsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add an account of one of the brands; reauthenticate or reconfigure it later."""

    # 2: the entry names its brand (`CONF_BRAND`); see `async_migrate_entry`.
    VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: EVChargePointsConfigEntry) -> OptionsFlow:
        """The brand's options flow."""
        brand = brand_of(config_entry)
        assert brand is not None  # noqa: S101 - only offered when the brand has one
        assert brand.options_flow is not None  # noqa: S101
        return brand.options_flow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Whether the entry's brand has options."""
        brand = brand_of(config_entry)
        return brand is not None and brand.options_flow is not None

    def __getattr__(self, name: str) -> Callable[..., Awaitable[ConfigFlowResult]]:
        """A brand's step (`async_step_<step id>`), bound to this flow."""
        if name.startswith(_STEP_PREFIX):
            step_id = name.removeprefix(_STEP_PREFIX)
            for brand in self._brands_for_steps():
                if (step := brand.flow_steps.get(step_id)) is not None:
                    return partial(step, self)
        raise AttributeError(name)

    def _brands_for_steps(self) -> list[Brand]:
        """The entry's brand during reauth and reconfigure; otherwise every brand."""
        if (entry_id := self.context.get("entry_id")) is not None and (
            entry := self.hass.config_entries.async_get_entry(entry_id)
        ) is not None:
            brand = brand_of(entry)
            return [brand] if brand is not None else []
        return registered_brands()

    async def async_step_user(
        self,
        user_input: dict[str, Any] | None = None,  # noqa: ARG002 - a menu takes no input
    ) -> ConfigFlowResult:
        """Choose the brand."""
        return self.async_show_menu(
            step_id="user", menu_options=[brand.key for brand in registered_brands()]
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """A credential was refused: the entry's brand asks for a new one."""
        step = getattr(self, f"{_STEP_PREFIX}reauth_brand")
        result: ConfigFlowResult = await step(entry_data)
        return result

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the entry's connection settings (the brand's form)."""
        step = getattr(self, f"{_STEP_PREFIX}reconfigure_brand")
        result: ConfigFlowResult = await step(user_input)
        return result
