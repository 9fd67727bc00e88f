"""Blue Current's session source: completed sessions and account figures through pybluecurrent.

Everything here goes over the app API (`app_api.py`): the transactions (REST, paged), the
contracts and grids (REST), the CO2 and tree figures (app socket) and the app's view of each
charge point (sockets, capacity tariff). The first import of a charge point reads its whole
history, page after page; later imports read only what stopped since the ledger's watermark.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Final

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.bluecurrent import HOME_USE_CARD, NO_CARD
from custom_components.ev_charge_points.api.bluecurrent.timeutil import AMSTERDAM
from custom_components.ev_charge_points.const import LOGGER
from custom_components.ev_charge_points.errors import translated_error
from custom_components.ev_charge_points.history import ChargingSession

from .app_api import APP_API_ERRORS, AppLoginRequiredError, app_login_configured, explain_app_error
from .memory import AccountFigures

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant
    from pybluecurrent import BlueCurrentClient as AppClient
    from pybluecurrent.models import (
        ChargePoint,
        ChargePointStatus,
        Contract,
        Grid,
        Transaction,
    )

    from .app_api import BlueCurrentAppApi
    from .coordinator import BlueCurrentCoordinator

# A server that keeps announcing a next page must not keep us paging forever.
MAX_PAGES: Final = 1000
# The date filter of REST is a local day of the stop (or start) time: one day of margin.
DATE_MARGIN: Final = timedelta(days=1)


def _aware(moment: object) -> datetime | None:
    """A REST time (Europe/Amsterdam, without offset) as aware UTC; None for anything else."""
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    return dt_util.as_utc(moment)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: object) -> str | None:
    """A non-empty text (a number is written out, as ids may come as either)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _local_day(moment: datetime) -> date:
    return (moment.astimezone(AMSTERDAM) - DATE_MARGIN).date()


def session_from_transaction(transaction: Transaction) -> ChargingSession | None:
    """Convert a transaction; one without an end (still running) or without an id is skipped."""
    start = _aware(transaction.get("started_at"))
    end = _aware(transaction.get("end_time"))
    transaction_id = _text(transaction.get("transaction_id"))
    evse_id = _text(transaction.get("chargepoint_id"))
    if start is None or end is None or transaction_id is None or evse_id is None:
        return None
    card_id = _text(transaction.get("card_id"))
    return ChargingSession(
        id=transaction_id,
        charge_point_id=evse_id,
        charge_point_name=_text(transaction.get("evse_name")),
        start=start,
        end=max(end, start),
        energy=max(0.0, _number(transaction.get("kwh")) or 0.0),
        cost=_number(transaction.get("total_costs")),
        cost_ex_vat=_number(transaction.get("total_costs_ex_vat")),
        vat_percentage=_number(transaction.get("vat")),
        currency=_text(transaction.get("currency")),
        card_id=NO_CARD if card_id == HOME_USE_CARD else card_id,
        card_name=_text(transaction.get("card_name")),
    )


async def read_transactions(
    client: AppClient,
    evse_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Transaction]:
    """A charge point's transactions overlapping [since, until), page after page.

    Without `since` the whole history is read. With it, pages come newest first and paging
    stops at the first page that reaches back before `since`.
    """
    found: list[Transaction] = []
    page: int | None = 1
    seen: set[int] = set()
    while page is not None and page not in seen and len(seen) < MAX_PAGES:
        seen.add(page)
        result = await client.get_transactions(
            evse_id,
            newest_first=since is not None,
            page=page,
            start_date=None if since is None else _local_day(since),
            end_date=None if until is None else _local_day(until) + 2 * DATE_MARGIN,
        )
        reached_back = False
        for transaction in result["transactions"]:
            end = _aware(transaction.get("end_time"))
            start = _aware(transaction.get("started_at"))
            if since is not None and end is not None and end < since:
                reached_back = True
                continue
            if until is not None and start is not None and start >= until:
                continue
            found.append(transaction)
        page = None if reached_back else result["next_page"]
    return found


async def _read_socket_statuses(
    client: AppClient, points: list[ChargePoint]
) -> dict[str, list[ChargePointStatus]] | None:
    """The per-socket status of every point with several sockets; None when a read failed."""
    statuses: dict[str, list[ChargePointStatus]] = {}
    try:
        for point in points:
            if len(point.get("socket_ids") or ()) > 1:
                statuses[point["evse_id"]] = await client.get_charge_point_statuses(
                    point["evse_id"]
                )
    except APP_API_ERRORS as err:
        LOGGER.debug("Socket status not read: %s", type(err).__name__)
        return None
    return statuses


class BlueCurrentSessionSource:
    """Transactions, account figures and the app's charge point data, through pybluecurrent."""

    errors: ClassVar[tuple[type[Exception], ...]] = APP_API_ERRORS
    # Sessions started without a card carry this card id (home use is mapped onto it).
    no_card_id: ClassVar[str | None] = NO_CARD

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry[Any], coordinator: BlueCurrentCoordinator
    ) -> None:
        """Use the coordinator's app API."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.contracts: list[Contract] | None = None
        self.grids: list[Grid] | None = None

    @property
    def app_api(self) -> BlueCurrentAppApi:
        """The entry's app API (the coordinator's)."""
        return self.coordinator.app_api

    async def async_completed(
        self, known: list[str], new: list[str], since: datetime | None
    ) -> list[ChargingSession]:
        """Sessions of `known` points stopped after `since`, and every session of `new` ones.

        The same connection reads the app's view of the charge points (sockets, capacity
        tariff) and, once a day, the account figures.
        """

        async def _read(client: AppClient) -> list[Transaction]:
            found: list[Transaction] = []
            for evse_id in known:
                found += await read_transactions(client, evse_id, since=since)
            for evse_id in new:
                found += await read_transactions(client, evse_id)
            await self._async_read_extras(client)
            return found

        return [
            session
            for transaction in await self.app_api.async_run(_read)
            if (session := session_from_transaction(transaction)) is not None
        ]

    async def _async_read_extras(self, client: AppClient) -> None:
        """The app's charge points always; the account figures at most once a day."""
        try:
            points: list[ChargePoint] = await client.get_charge_points()
        except APP_API_ERRORS as err:
            LOGGER.debug("App charge points not read: %s", type(err).__name__)
        else:
            statuses = await _read_socket_statuses(client, points)
            self.app_api.async_set_charge_points(points, statuses)
        memory = self.coordinator.memory
        if memory.current_figures(dt_util.utcnow()) is not None:
            return  # read within a day, also before a restart
        try:
            sustainability = await client.get_sustainability_status()
            self.contracts = await client.get_contracts()
            self.grids = await client.get_grids()
        except APP_API_ERRORS as err:
            LOGGER.debug("Account figures not read: %s", type(err).__name__)
            return
        memory.remember_figures(
            AccountFigures.read(
                sustainability.get("co2"),
                sustainability.get("trees"),
                (c.get("subscription_type") for c in self.contracts),
                dt_util.utcnow(),
            )
        )
        await memory.async_save()

    @property
    def figures(self) -> AccountFigures | None:
        """The account figures last read (kept between restarts)."""
        return self.coordinator.memory.figures

    async def async_sessions(
        self, evse_ids: list[str], *, start: datetime | None, end: datetime | None
    ) -> list[ChargingSession]:
        """Sessions of the points in the period (all pages)."""

        async def _read(client: AppClient) -> list[Transaction]:
            found: list[Transaction] = []
            for evse_id in evse_ids:
                found += await read_transactions(client, evse_id, since=start, until=end)
            return found

        return [
            session
            for transaction in await self.app_api.async_run(_read)
            if (session := session_from_transaction(transaction)) is not None
        ]

    def action_error(self, err: Exception) -> HomeAssistantError:
        """The translated error of the sessions action for a failure of this source."""
        if isinstance(err, AppLoginRequiredError):
            return err
        return translated_error(
            err,
            fallback_key="history_unavailable",
            error_type=HomeAssistantError,
            explain=explain_app_error,
        )

    async def async_refresh_account_info(self) -> None:
        """Nothing of its own: the import's connection reads the figures (`_read_extras`)."""

    def diagnostics(self) -> dict[str, Any]:
        """The app API side for the diagnostics download (the caller redacts it)."""
        return {
            "credential": self.app_api.credential,
            "app_login_configured": app_login_configured(self.entry),
            "app_logins": self.app_api.logins,
            "sustainability": None
            if (figures := self.figures) is None
            else {"trees": figures.trees, "co2": figures.co2},
            "contracts": None
            if self.contracts is None
            else [
                {
                    "contract_id": c.get("contract_id"),
                    "subscription_type": c.get("subscription_type"),
                    "contact_email": c.get("contact_email"),
                    "beneficiary_name": c.get("beneficiary_name"),
                    "iban_beneficiary": c.get("iban_beneficiary"),
                }
                for c in self.contracts
            ],
            "grids": None if self.grids is None else len(self.grids),
            "app_charge_points": {
                evse_id: {
                    "sockets": list(point.get("socket_ids") or []),
                    "capacity_tariff": point.get("capacity_tariff"),
                }
                for evse_id, point in sorted((self.app_api.charge_points or {}).items())
            },
        }
