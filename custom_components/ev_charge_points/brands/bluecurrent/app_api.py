"""Blue Current's app API (app socket and REST) through pybluecurrent.

One short connection per piece of work: log in on the app socket with the entry's API token
(`VALIDATE_API_TOKEN`, which hands out the token REST needs); only where the app socket refuses
that token, with the e-mail address and password of the options (`VALIDATE_PASSWORD`). Without
those, or when they are refused too, a repair issue asks for them and the caller gets an error
that waits for the user. pybluecurrent's base URLs are class attributes meant to be overridden:
an entry with another server (a test server, the simulator) gets a subclass pointing at the
same host. Its reconnect supervisor stays off: a connection lives for one piece of work only.

The API-token rotation pybluecurrent offers (`generate_api_token`) is never called: it would
lock this integration out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final, Literal, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.httpx_client import get_async_client
from pybluecurrent import BlueCurrentClient as AppClient
from pybluecurrent.exceptions import AuthenticationFailed, BlueCurrentException
from websockets.exceptions import WebSocketException

from custom_components.ev_charge_points.api.bluecurrent import DEFAULT_URL
from custom_components.ev_charge_points.const import CONF_API_TOKEN, CONF_URL, DOMAIN, LOGGER
from custom_components.ev_charge_points.errors import translated_error, validation_error
from custom_components.ev_charge_points.history import SessionSourceWaitsError

from .const import CONF_APP_PASSWORD, CONF_APP_USERNAME, ISSUE_APP_LOGIN

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import CALLBACK_TYPE, HomeAssistant
    from pybluecurrent.models import ChargePoint as AppChargePoint
    from pybluecurrent.models import ChargePointStatus

# What a call through pybluecurrent may raise that is no bug: its own errors, HTTP errors of
# REST, a refused or dropped socket, a timeout, and ValueError for a socket or charge point it
# does not know.
APP_API_ERRORS: Final[tuple[type[Exception], ...]] = (
    BlueCurrentException,
    httpx.HTTPError,
    WebSocketException,
    OSError,
    TimeoutError,
    ValueError,
    NotImplementedError,
)

APP_SOCKET_PATH: Final = "/appserver/2.0"
BC_API_PATH: Final = "/app/bc_api/api"
BCE_API_PATH: Final = "/app/bce_api/api"

type Credential = Literal["api_token", "app_login"]

# Vehicle states of a socket with a car on its cable (IEC 61851 B, C, D).
PLUGGED: Final = frozenset({"B", "C", "D"})


class _NoAppFrameDumps(logging.Filter):
    """Drops the DEBUG lines that dump app-socket frames.

    pybluecurrent logs every frame it receives (only the token fields masked: names,
    addresses and e-mail stay in), and it opens the app socket with the websockets library's
    default logger, whose DEBUG output dumps every frame sent (each carries a token). Other
    connections (other integrations included) keep their DEBUG output.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            return True
        if record.name.startswith("pybluecurrent"):
            return not str(record.msg).startswith("Received message")
        protocol = getattr(getattr(record, "websocket", None), "protocol", None)
        resource = getattr(getattr(protocol, "uri", None), "resource_name", None)
        return not (isinstance(resource, str) and resource.endswith(APP_SOCKET_PATH))


_FRAME_FILTER: Final = _NoAppFrameDumps()
for _name in ("websockets.client", "pybluecurrent.client"):
    logging.getLogger(_name).addFilter(_FRAME_FILTER)


class AppLoginRequiredError(SessionSourceWaitsError):
    """The app socket refused the API token; no (or a refused) e-mail and password."""


def client_class_for(ws_url: str) -> type[AppClient]:
    """Pybluecurrent for the server of a `/haserver` URL (its own defaults for the real one)."""
    attributes: dict[str, Any] = {"auto_reconnect": False}
    if ws_url.rstrip("/") != DEFAULT_URL:
        parts = urlsplit(ws_url)
        secure = parts.scheme in ("wss", "https")

        def _url(scheme: str, path: str) -> str:
            return urlunsplit((scheme, parts.netloc, path, "", ""))

        http = "https" if secure else "http"
        attributes |= {
            "socket_url": _url("wss" if secure else "ws", APP_SOCKET_PATH),
            "_api_base": _url(http, BC_API_PATH),
            "_bce_api_base": _url(http, BCE_API_PATH),
        }
    return cast("type[AppClient]", type("BlueCurrentAppClient", (AppClient,), attributes))


def app_login_configured(entry: ConfigEntry[Any]) -> bool:
    """Whether the options hold an app login (e-mail and password)."""
    return bool(entry.options.get(CONF_APP_USERNAME) and entry.options.get(CONF_APP_PASSWORD))


def explain_app_error(err: BaseException) -> tuple[str, dict[str, str]] | None:
    """A refusal or time-out the server reports as such; None for the rest."""
    if isinstance(err, AppLoginRequiredError) and err.translation_key:
        return err.translation_key, {}
    if isinstance(err, NotImplementedError):
        return "not_supported", {}
    detail = err.args[0] if err.args else None
    if isinstance(err, BlueCurrentException) and isinstance(detail, dict):
        # A STATUS_ names its failure in `error` ("REJECTED", "TIMEOUT"); an ERROR object has
        # a numeric code there and the text in `message`.
        error, message = detail.get("error"), detail.get("message")
        reason = str(error if isinstance(error, str) and error else message or error or "")
        if "TIMEOUT" in reason.upper():
            return "command_timeout", {}
        return "command_rejected", {"reason": reason or type(err).__name__}
    return None


class BlueCurrentAppApi:
    """The app API of one entry; one logged-in connection per `async_run`, one at a time."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Prepare; nothing connects before the first call."""
        self.hass = hass
        self.entry = entry
        self._client_class = client_class_for(entry.data.get(CONF_URL, DEFAULT_URL))
        self._lock = asyncio.Lock()
        self.credential: Credential | None = None  # the login that worked last
        self.logins = 0
        # The app's view of each charge point (sockets, capacity tariff); None until read.
        self.charge_points: dict[str, AppChargePoint] | None = None
        # The per-socket status of the charge points with more than one socket, as last read.
        self.socket_statuses: dict[str, list[ChargePointStatus]] = {}
        self._listeners: list[CALLBACK_TYPE] = []

    @callback
    def async_add_listener(self, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update_callback` whenever the app's charge points were read."""
        self._listeners.append(update_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(update_callback)

        return _remove

    @callback
    def async_set_charge_points(
        self,
        points: list[AppChargePoint],
        socket_statuses: dict[str, list[ChargePointStatus]] | None = None,
    ) -> None:
        """Keep what the app's charge point list (and socket status) says; tell the listeners."""
        self.charge_points = {point["evse_id"]: point for point in points}
        if socket_statuses is not None:
            self.socket_statuses = socket_statuses
        self._async_notify()

    @callback
    def async_set_socket_statuses(self, evse_id: str, statuses: list[ChargePointStatus]) -> None:
        """Keep a charge point's per-socket status read for another reason (unlock)."""
        if len(statuses) > 1:
            self.socket_statuses[evse_id] = statuses
            self._async_notify()

    @callback
    def _async_notify(self) -> None:
        for update_callback in list(self._listeners):
            update_callback()

    @property
    def issue_id(self) -> str:
        """The repair issue that asks for the app login."""
        return f"{ISSUE_APP_LOGIN}_{self.entry.entry_id}"

    async def async_connect(self, client: AppClient) -> AppClient:
        """Log `client` in (it must be closed again); AuthenticationFailed when refused."""
        # Home Assistant's shared httpx client (its SSL context is built off the event loop);
        # pybluecurrent closes it through `__aexit__`, which the shared client ignores.
        client.httpx_client = get_async_client(self.hass)
        self.logins += 1
        await client.__aenter__()
        return client

    def _async_ask_for_login(self, *, refused: bool) -> AppLoginRequiredError:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self.issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_APP_LOGIN,
            translation_placeholders={"title": self.entry.title},
        )
        return AppLoginRequiredError(
            translation_domain=DOMAIN,
            translation_key="app_login_refused" if refused else "app_login_required",
        )

    async def _async_open(self) -> AppClient:
        """Log in with the API token, else with the options' e-mail and password."""
        try:
            client = await self.async_connect(
                self._client_class(api_token=self.entry.data[CONF_API_TOKEN])
            )
        except AuthenticationFailed:
            LOGGER.info("The Blue Current app socket refused the API token")
        else:
            self.credential = "api_token"
            return client
        if not app_login_configured(self.entry):
            self.credential = None
            raise self._async_ask_for_login(refused=False)
        options = self.entry.options
        try:
            client = await self.async_connect(
                self._client_class(
                    username=options[CONF_APP_USERNAME], password=options[CONF_APP_PASSWORD]
                )
            )
        except AuthenticationFailed:
            LOGGER.warning("Blue Current refused the app login of the options")
            self.credential = None
            raise self._async_ask_for_login(refused=True) from None
        self.credential = "app_login"
        return client

    async def async_run[T](self, work: Callable[[AppClient], Awaitable[T]]) -> T:
        """Log in, do `work`, close; pybluecurrent's and the login's errors pass through."""
        async with self._lock, contextlib.AsyncExitStack() as stack:
            client = await self._async_open()
            stack.push_async_exit(client)
            result = await work(client)
        ir.async_delete_issue(self.hass, DOMAIN, self.issue_id)
        return result

    async def async_command(self, work: Callable[[AppClient], Awaitable[None]]) -> None:
        """Run a command; every failure becomes a translated HomeAssistantError."""
        try:
            await self.async_run(work)
        except AppLoginRequiredError:
            raise
        except APP_API_ERRORS as err:
            LOGGER.debug("App API command failed: %s", type(err).__name__)
            raise translated_error(
                err,
                fallback_key="communication_error",
                error_type=HomeAssistantError,
                explain=explain_app_error,
            ) from err

    async def async_unlock_connector(self, evse_id: str) -> bool:
        """Unlock through the app's REST action; False for a portable charge point.

        pybluecurrent leaves a portable one (UMOVE without a fixed cable) to the websocket
        command, as the app does. On a charge point with several sockets the socket with a car
        is unlocked; with none or several of them a validation error says so.
        """
        portable = False

        async def _unlock(client: AppClient) -> None:
            nonlocal portable
            statuses = await client.get_charge_point_statuses(evse_id)
            self.async_set_socket_statuses(evse_id, statuses)
            socket_id: int | None = None
            if len(statuses) > 1:
                # Several sockets: release the one cable a car is on, never guess.
                plugged = [s["socket_id"] for s in statuses if s.get("vehicle_status") in PLUGGED]
                if len(plugged) != 1:
                    raise validation_error("unlock_socket_unknown")
                socket_id = plugged[0]
            try:
                await client.unlock_connector(evse_id, socket_id)
            except NotImplementedError:
                portable = True

        await self.async_command(_unlock)
        return not portable

    async def async_check_login(self, username: str, password: str) -> dict[str, str]:
        """Log in once with e-mail and password; the errors for a form (empty when it worked)."""
        client = self._client_class(username=username, password=password)
        try:
            await self.async_connect(client)
        except AuthenticationFailed:
            return {"base": "invalid_login"}
        except APP_API_ERRORS:
            return {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001 - the form must show something for any failure
            LOGGER.exception("Unexpected error while checking the Blue Current app login")
            return {"base": "unknown"}
        async with client:  # logged in: close again
            return {}
