"""What a failure means to the user: translated errors, shared by every brand.

A brand explains its own client's exceptions (`Explain`: a translation key and placeholders
for the failures with a meaning of their own); anything it does not explain gets the caller's
fallback key, whose message shows the error's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    type Explain = Callable[[BaseException], tuple[str, dict[str, str]] | None]


def format_reset_time(reset_at: datetime) -> str:
    """A limit's reset as "HH:MM" in Home Assistant's time zone."""
    return dt_util.as_local(reset_at).strftime("%H:%M")


def translated_error[E: HomeAssistantError](
    err: BaseException,
    *,
    fallback_key: str,
    error_type: type[E],
    explain: Explain | None = None,
) -> E:
    """Build `error_type` with the translation that explains `err`."""
    explained = explain(err) if explain is not None else None
    if explained is None:
        key, placeholders = fallback_key, {"error": str(err) or type(err).__name__}
    else:
        key, placeholders = explained
    return error_type(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated error for bad action input (shared by every action of the integration)."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )
