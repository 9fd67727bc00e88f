"""Blue Current's session source: completed sessions and account figures from REST.

REST auth (§10 q7, unknown): the API token's auth token is tried first. When REST refuses it,
the app login of the options flow is used (e-mail, password and the app's SJCL passphrase,
which this project does not ship); without one a repair issue asks for it. A refused app login
starts a reauth flow for it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from homeassistant.util.ssl import get_default_context

from custom_components.ev_charge_points.api.bluecurrent import (
    DEFAULT_REST_URL,
    DEFAULT_URL,
    NO_CARD,
    BlueCurrentError,
    BlueCurrentLoginError,
    BlueCurrentRestAuthError,
    BlueCurrentRestClient,
    Contract,
    Sustainability,
    Transaction,
    app_login,
    app_url_for,
    rest_url_for,
)
from custom_components.ev_charge_points.const import CONF_URL, DOMAIN, LOGGER
from custom_components.ev_charge_points.errors import translated_error
from custom_components.ev_charge_points.history import ChargingSession, SessionSourceWaitsError

from .const import (
    CONF_APP_PASSPHRASE,
    CONF_APP_PASSWORD,
    CONF_APP_USERNAME,
    ISSUE_HISTORY_LOGIN,
    REAUTH_APP_LOGIN,
)
from .errors import explain

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .coordinator import BlueCurrentCoordinator

# Sustainability and contracts change rarely: read them at most once a day.
ACCOUNT_INFO_INTERVAL: Final = timedelta(days=1)


class HistoryLoginRequiredError(SessionSourceWaitsError):
    """REST refused the API token and no app login is configured."""


def session_from_transaction(transaction: Transaction) -> ChargingSession | None:
    """Convert a REST transaction; a session without an end is not complete yet."""
    if transaction.ended_at is None:
        return None
    return ChargingSession(
        id=transaction.transaction_id,
        charge_point_id=transaction.evse_id,
        charge_point_name=transaction.evse_name,
        start=transaction.started_at,
        end=max(transaction.ended_at, transaction.started_at),
        energy=transaction.energy_kwh,
        cost=transaction.total_cost,
        cost_ex_vat=transaction.total_cost_ex_vat,
        vat_percentage=transaction.vat_percentage,
        currency=transaction.currency,
        card_id=transaction.card_id,
        card_name=transaction.card_name,
    )


def app_login_configured(entry: ConfigEntry[Any]) -> bool:
    """Whether the options hold an app login (e-mail and password)."""
    options = entry.options
    return bool(options.get(CONF_APP_USERNAME) and options.get(CONF_APP_PASSWORD))


class BlueCurrentSessionSource:
    """REST transactions with the right token, contracts and (app login) sustainability."""

    errors: ClassVar[tuple[type[Exception], ...]] = (BlueCurrentError,)
    # Sessions started without a card carry this card id (REST maps home use onto it).
    no_card_id: ClassVar[str | None] = NO_CARD

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: BlueCurrentCoordinator
    ) -> None:
        """Prepare the REST client on Home Assistant's shared session."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self._rest = BlueCurrentRestClient(
            async_get_clientsession(hass),
            None,
            base_url=rest_url_for(entry.data.get(CONF_URL, DEFAULT_URL)),
        )
        self._credential: Literal["api", "app"] | None = None  # whose auth token REST uses
        self._info_read_at: datetime | None = None
        self.sustainability: Sustainability | None = None
        self.contracts: list[Contract] | None = None

    @property
    def _issue_id(self) -> str:
        return f"{ISSUE_HISTORY_LOGIN}_{self.entry.entry_id}"

    async def _async_app_login(self) -> None:
        options = self.entry.options
        url = app_url_for(self.entry.data.get(CONF_URL, DEFAULT_URL))
        try:
            login = await app_login(
                options[CONF_APP_USERNAME],
                options[CONF_APP_PASSWORD],
                passphrase=options.get(CONF_APP_PASSPHRASE, ""),
                url=url,
                ssl_context=get_default_context(),
            )
        except BlueCurrentLoginError:
            LOGGER.warning("Blue Current refused the app login of the history options")
            self.entry.async_start_reauth(self.hass, data={REAUTH_APP_LOGIN: True})
            raise
        self._rest.token = login.token
        self._credential = "app"
        if login.sustainability is not None:
            self.sustainability = login.sustainability

    async def _async_rest[T](self, call: Callable[[BlueCurrentRestClient], Awaitable[T]]) -> T:
        """Run a REST call with the API token's auth token, falling back to the app login."""
        if self._credential is None:
            self._rest.token = self.coordinator.client.auth_token
            self._credential = "api"
        try:
            return await call(self._rest)
        except BlueCurrentRestAuthError:
            if not app_login_configured(self.entry):
                self._credential = None
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    self._issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=ISSUE_HISTORY_LOGIN,
                    translation_placeholders={"title": self.entry.title},
                )
                raise HistoryLoginRequiredError(
                    translation_domain=DOMAIN, translation_key=ISSUE_HISTORY_LOGIN
                ) from None
            LOGGER.debug(
                "REST refused the %s token; logging in on the app socket", self._credential
            )
        await self._async_app_login()
        return await call(self._rest)

    async def async_completed(
        self, known: list[str], new: list[str], since: datetime | None
    ) -> list[ChargingSession]:
        """Sessions of `known` points stopped after `since`, and every session of `new` ones."""

        async def _read(rest: BlueCurrentRestClient) -> list[Transaction]:
            found: list[Transaction] = []
            if known:
                found += await rest.get_transactions(known, since=since)
            if new:
                found += await rest.get_transactions(new)
            return found

        transactions = await self._async_rest(_read)
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)
        return [
            session
            for transaction in transactions
            if (session := session_from_transaction(transaction)) is not None
        ]

    async def async_sessions(
        self, evse_ids: list[str], *, start: datetime | None, end: datetime | None
    ) -> list[ChargingSession]:
        """Sessions from the REST API (all pages) in the period."""

        async def _read(rest: BlueCurrentRestClient) -> list[Transaction]:
            return await rest.get_transactions(evse_ids, since=start, until=end)

        return [
            session
            for transaction in await self._async_rest(_read)
            if (session := session_from_transaction(transaction)) is not None
        ]

    def action_error(self, err: Exception) -> HomeAssistantError:
        """The translated error of the sessions action for a failure of this source."""
        if isinstance(err, BlueCurrentLoginError):
            return HomeAssistantError(
                translation_domain=DOMAIN, translation_key="history_login_refused"
            )
        return translated_error(
            err, fallback_key="history_unavailable", error_type=HomeAssistantError, explain=explain
        )

    async def async_refresh_account_info(self) -> None:
        """Contracts (REST) and sustainability (app login) at most once a day."""
        now = dt_util.utcnow()
        if self._info_read_at is not None and now - self._info_read_at < ACCOUNT_INFO_INTERVAL:
            return
        self._info_read_at = now
        try:
            self.contracts = await self._async_rest(lambda rest: rest.get_contracts())
            if app_login_configured(self.entry) and self._credential != "app":
                await self._async_app_login()
        except (BlueCurrentError, HomeAssistantError) as err:
            LOGGER.debug("Account figures not read: %s", type(err).__name__)

    def diagnostics(self) -> dict[str, Any]:
        """The REST side for the diagnostics download (the caller redacts it)."""
        return {
            "rest_default_server": self._rest.base_url == DEFAULT_REST_URL,
            "credential": self._credential,
            "app_login_configured": app_login_configured(self.entry),
            "rest_requests": self._rest.requests_sent,
            "sustainability": None
            if self.sustainability is None
            else {"trees": self.sustainability.trees, "co2": self.sustainability.co2},
            "contracts": None
            if self.contracts is None
            else [
                {
                    "contract_id": c.contract_id,
                    "subscription_type": c.subscription_type,
                    "contact_email": c.contact_email,
                    "beneficiary_name": c.beneficiary_name,
                    "iban_beneficiary": c.iban_beneficiary,
                }
                for c in self.contracts
            ],
        }
