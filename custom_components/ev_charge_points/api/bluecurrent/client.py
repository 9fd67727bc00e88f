"""Async client for the Blue Current Home Assistant websocket (`/haserver`).

Frames carry no request ids, so replies are matched to requests by object name and
evse_id; requests with the same name and evse_id resolve in order (FIFO).

Usage: `await client.connect()`, run `await client.listen()` in a task of its own, then
send requests; each one awaits its reply, which `listen()` delivers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from .const import (
    CLOSE_CODE_REQUEST_LIMIT,
    CMD_GET_ACCOUNT,
    CMD_GET_CH_SETTINGS,
    CMD_GET_CH_STATUS,
    CMD_GET_CHARGE_CARDS,
    CMD_GET_CHARGE_POINTS,
    CMD_GET_GRID_STATUS,
    CMD_HELLO,
    CMD_LIST_OVERRIDE_CURRENT,
    CMD_OVERRIDE_CHARGING_PROFILES,
    CMD_OVERRIDE_DELAYED_CHARGING_TIMEOUT,
    CMD_PATCH_PRICE_BASED_CHARGING_SETTINGS,
    CMD_POST_CLEAR_OVERRIDE_CURRENT,
    CMD_POST_EDIT_OVERRIDE_CURRENT,
    CMD_POST_SET_OVERRIDE_CURRENT,
    CMD_REBOOT,
    CMD_SAVE_SCHEDULE_DELAYED_CHARGING,
    CMD_SET_DELAYED_CHARGING,
    CMD_SET_INOPERATIVE,
    CMD_SET_OPERATIVE,
    CMD_SET_PLUG_AND_CHARGE,
    CMD_SET_PLUG_AND_CHARGE_CHARGE_CARD,
    CMD_SET_PRICE_BASED_CHARGING,
    CMD_SET_PRICE_BASED_SETTINGS,
    CMD_SET_PUBLIC_CHARGING,
    CMD_SOFT_RESET,
    CMD_START_SESSION,
    CMD_STOP_SESSION,
    CMD_UNLOCK_CONNECTOR,
    CMD_VALIDATE_API_TOKEN,
    COMMAND_RESULT_TIMEOUT,
    DEFAULT_URL,
    ERROR_INVALID_AUTH_TOKEN,
    ERROR_NOT_AUTHORIZED,
    ERROR_REQUEST_LIMIT,
    HELLO_HEADER,
    NO_CARD,
    OBJ_CH_SETTINGS,
    OBJ_CH_STATUS,
    OBJ_CHARGE_CARDS,
    OBJ_CHARGE_POINTS,
    OBJ_GRID_STATUS,
    OBJ_LIST_OVERRIDE_CURRENT,
    OBJ_POST_CLEAR_OVERRIDE_CURRENT,
    OBJ_POST_EDIT_OVERRIDE_CURRENT,
    OBJ_POST_SET_OVERRIDE_CURRENT,
    RECEIVED_PREFIX,
    REJECT_ALREADY_CONNECTED,
    REJECT_LIMIT,
    REJECT_REASON_HEADER,
    RESULT_ERROR_NO_ACTIVE_SESSION,
    RESULT_ERROR_TIMEOUT,
    STATUS_PREFIX,
)
from .exceptions import (
    BlueCurrentAlreadyConnectedError,
    BlueCurrentCommandError,
    BlueCurrentCommandRejectedError,
    BlueCurrentCommandTimeoutError,
    BlueCurrentConnectionError,
    BlueCurrentError,
    BlueCurrentInvalidTokenError,
    BlueCurrentNoActiveSessionError,
    BlueCurrentParseError,
    BlueCurrentRequestLimitError,
    BlueCurrentServerError,
)
from .models import (
    Account,
    ApiTokenStatus,
    BlueCurrentMessage,
    ChargeCards,
    ChargePoint,
    ChargePoints,
    ChargePointSettings,
    ChargePointStatus,
    CommandResult,
    GridStatus,
    Hello,
    OverrideCurrentCleared,
    OverrideCurrentList,
    OverrideCurrentSaved,
    OverrideCurrentSchedule,
    ServerErrorMessage,
    SettingResult,
    Weekday,
    object_name,
    parse_message,
)
from .timeutil import next_reset

if TYPE_CHECKING:
    from websockets.datastructures import Headers

_LOGGER = logging.getLogger(__name__)


class _NoFrameDumps(logging.LoggerAdapter[logging.Logger]):
    """The websockets library's logger, minus its DEBUG output.

    At DEBUG level websockets logs every frame, elided in the middle only: the end of each
    command shows the auth token, VALIDATE_API_TOKEN the API token, and server frames carry
    e-mail, card uids and addresses. Our own DEBUG lines say what happens, without values.
    """

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - the logging API's name
        """Never DEBUG; other levels as the underlying logger decides."""
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


_WEBSOCKET_LOGGER = _NoFrameDumps(_LOGGER.getChild("websocket"))

type MessageCallback = Callable[[BlueCurrentMessage], None]
type _ErrorFactory = Callable[[], BlueCurrentError]


@dataclass(slots=True, eq=False)
class _Pending:
    """A request waiting for its reply object."""

    command: str
    evse_id: str | None
    reply: str
    received: str | None
    future: asyncio.Future[BlueCurrentMessage]
    acknowledged: bool = field(default=False)


def handshake_error(status: int, headers: Headers) -> BlueCurrentError:
    """Map a rejected websocket upgrade (§5.1) to an exception."""
    reason = headers.get(REJECT_REASON_HEADER, "")
    if REJECT_LIMIT.lower() in reason.lower():
        return BlueCurrentRequestLimitError(reset_at=next_reset(datetime.now(UTC)))
    if REJECT_ALREADY_CONNECTED.lower() in reason.lower():
        return BlueCurrentAlreadyConnectedError("The server reports this client is connected")
    return BlueCurrentConnectionError(f"Websocket upgrade rejected with HTTP {status}")


def server_error(message: ServerErrorMessage, *, at_auth: bool = False) -> BlueCurrentError:
    """Map an ERROR object (§3.9) to an exception; code 2 means a bad token only at auth."""
    if message.code == ERROR_REQUEST_LIMIT:
        return BlueCurrentRequestLimitError(
            message.message or "Request limit reached", reset_at=next_reset(datetime.now(UTC))
        )
    if message.code == ERROR_INVALID_AUTH_TOKEN or (
        at_auth and message.code == ERROR_NOT_AUTHORIZED
    ):
        return BlueCurrentInvalidTokenError(message.message)
    return BlueCurrentServerError(message.code, message.message)


def command_error(command: str, evse_id: str | None, error: str) -> BlueCurrentCommandError:
    """Map the `error` text of a RECEIVED_/STATUS_ reply to an exception."""
    if RESULT_ERROR_NO_ACTIVE_SESSION in error.lower():
        return BlueCurrentNoActiveSessionError(command, evse_id, error)
    if RESULT_ERROR_TIMEOUT in error.upper():
        return BlueCurrentCommandTimeoutError(command, evse_id, error)
    return BlueCurrentCommandRejectedError(command, evse_id, error or "unsuccessful")


def closed_error(err: ConnectionClosed) -> BlueCurrentError:
    """Map the end of a websocket to an exception (4001 = request limit, §5.1)."""
    if err.rcvd is not None and err.rcvd.code == CLOSE_CODE_REQUEST_LIMIT:
        return BlueCurrentRequestLimitError(reset_at=next_reset(datetime.now(UTC)))
    return BlueCurrentConnectionError(f"Connection lost: {err}")


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


class BlueCurrentClient:
    """Client for one Blue Current account, authenticated with its API token."""

    def __init__(
        self,
        api_token: str,
        *,
        url: str = DEFAULT_URL,
        ssl_context: ssl.SSLContext | None = None,
        request_timeout: float = 10.0,
        command_timeout: float = COMMAND_RESULT_TIMEOUT,
        ping_interval: float | None = 20.0,
        ping_timeout: float | None = 20.0,
        max_message_size: int = 1 << 20,
        smart_charging_confirm_timeout: float = 5.0,
    ) -> None:
        """Set up the client; nothing is opened until a request or connect().

        Args:
            api_token: the account's Home Assistant API token.
            url: the `/haserver` websocket URL (the simulator's in tests).
            ssl_context: used for wss:// only. Pass one built off the event loop (Home
                Assistant: `homeassistant.util.ssl.get_default_context()`); without one a
                default context is built once in a worker thread.
            request_timeout: seconds to wait for data replies, one-shot replies and HELLO.
            command_timeout: seconds to wait for the STATUS_ result of a setting or action.
            ping_interval: websocket keepalive interval (half-open detection).
            ping_timeout: seconds a pong may take before the connection counts as lost.
            max_message_size: largest inbound frame accepted, in bytes.
            smart_charging_confirm_timeout: seconds to wait for an (optional) reply to a
                smart-charging command before taking it as accepted.

        """
        self._api_token = api_token
        self._url = url
        self._ssl_context = ssl_context
        self._request_timeout = request_timeout
        self._command_timeout = command_timeout
        self._ping_interval = ping_interval
        self._ping_timeout = ping_timeout
        self._max_message_size = max_message_size
        self._smart_timeout = smart_charging_confirm_timeout
        self._auth_token: str | None = None
        self._customer_id: str | None = None
        self._ws: ClientConnection | None = None
        self._hello_answered = False
        self._pending: list[_Pending] = []
        self._subscribers: list[MessageCallback] = []
        self._requests_sent = 0
        self._dropped_messages = 0

    # --- state -------------------------------------------------------------------------------

    @property
    def requests_sent(self) -> int:
        """Command frames sent, one-shots included."""
        return self._requests_sent

    @property
    def dropped_messages(self) -> int:
        """Frames that could not be parsed (logged at debug level and dropped)."""
        return self._dropped_messages

    @property
    def connected(self) -> bool:
        """True while the long-lived socket is open and HELLO was answered."""
        return self._ws is not None and self._hello_answered

    @property
    def customer_id(self) -> str | None:
        """The account's customer id, known after validate_token()."""
        return self._customer_id

    @property
    def auth_token(self) -> str | None:
        """The session token from validate_token() (the REST API takes it too); never logged."""
        return self._auth_token

    def subscribe(self, callback: MessageCallback) -> Callable[[], None]:
        """Deliver every parsed object of the long-lived socket to `callback`.

        Pushes and replies to our own requests alike, in arrival order, from the event
        loop. Returns a function that unsubscribes.
        """
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    # --- sockets -----------------------------------------------------------------------------

    async def _ssl_for(self, url: str) -> ssl.SSLContext | None:
        if not url.lower().startswith("wss:"):
            return None
        if self._ssl_context is None:
            # Loading the CA store blocks, so it never happens on the event loop.
            self._ssl_context = await asyncio.to_thread(ssl.create_default_context)
        return self._ssl_context

    async def _open(self, url: str) -> ClientConnection:
        context = await self._ssl_for(url)
        try:
            return await connect(
                url,
                open_timeout=self._request_timeout,
                ping_interval=self._ping_interval,
                ping_timeout=self._ping_timeout,
                max_size=self._max_message_size,
                ssl=context,
                logger=_WEBSOCKET_LOGGER,
            )
        except InvalidStatus as err:
            raise handshake_error(err.response.status_code, err.response.headers) from err
        except (WebSocketException, OSError, TimeoutError) as err:
            raise BlueCurrentConnectionError(f"Cannot connect: {type(err).__name__}") from err

    async def _send(
        self,
        ws: ClientConnection,
        command: str,
        fields: Mapping[str, Any] | None = None,
        *,
        auth: bool = True,
    ) -> None:
        payload: dict[str, Any] = {"command": command}
        payload.update({key: value for key, value in (fields or {}).items() if value is not None})
        if auth:
            if self._auth_token is None:
                raise BlueCurrentInvalidTokenError("No auth token; validate the API token first")
            payload["Authorization"] = f"Token {self._auth_token}"
        try:
            await ws.send(json.dumps(payload, separators=(",", ":")))
        except ConnectionClosed as err:
            raise closed_error(err) from err
        self._requests_sent += 1
        _LOGGER.debug(
            "Sent %s%s",
            command,
            f" for {fields['evse_id']}" if fields and fields.get("evse_id") else "",
        )

    def _decode(self, raw: str | bytes) -> tuple[str, BlueCurrentMessage] | None:
        """Parse one frame; count, log and drop it if it is unusable."""
        try:
            text = raw.decode() if isinstance(raw, bytes) else raw
            frame = json.loads(text)
            message = parse_message(frame)
            name = object_name(frame)
        except (UnicodeDecodeError, ValueError, RecursionError, BlueCurrentParseError) as err:
            # The text itself may carry personal data, so only its size is logged.
            self._dropped_messages += 1
            reason = err if isinstance(err, BlueCurrentParseError) else type(err).__name__
            _LOGGER.debug("Dropped a %d byte frame: %s", len(raw), reason)
            return None
        return name, message

    # --- one-shot commands -------------------------------------------------------------------

    async def _one_shot(
        self, command: str, fields: Mapping[str, Any] | None, *, auth: bool
    ) -> BlueCurrentMessage:
        """Open a socket, send one frame, read the first frame back, close (§1.3)."""
        ws = await self._open(self._url)
        try:
            await self._send(ws, command, fields, auth=auth)
            try:
                async with asyncio.timeout(self._request_timeout):
                    raw = await ws.recv()
            except TimeoutError as err:
                raise BlueCurrentConnectionError(f"No reply to {command} in time") from err
            except ConnectionClosed as err:
                raise closed_error(err) from err
        finally:
            await ws.close()
        decoded = self._decode(raw)
        if decoded is None:
            raise BlueCurrentConnectionError(f"Unusable reply to {command}")
        message = decoded[1]
        if isinstance(message, ServerErrorMessage):
            raise server_error(message, at_auth=True)
        return message

    async def validate_token(self) -> str:
        """Validate the API token (one-shot); store the auth token; return the customer id."""
        message = await self._one_shot(
            CMD_VALIDATE_API_TOKEN, {"token": self._api_token}, auth=False
        )
        if not isinstance(message, ApiTokenStatus):
            raise BlueCurrentConnectionError("Unexpected reply to VALIDATE_API_TOKEN")
        if not message.success or message.token is None or message.customer_id is None:
            raise BlueCurrentInvalidTokenError("The API token was refused")
        self._auth_token = message.token
        self._customer_id = message.customer_id
        return message.customer_id

    async def get_account(self) -> Account:
        """Read the account (one-shot), validating the token first if needed."""
        if self._auth_token is None:
            await self.validate_token()
        message = await self._one_shot(CMD_GET_ACCOUNT, None, auth=True)
        if not isinstance(message, Account):
            raise BlueCurrentConnectionError("Unexpected reply to GET_ACCOUNT")
        return message

    # --- long-lived socket -------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the long-lived socket and subscribe with HELLO (validates the token first)."""
        if self._ws is not None:
            return
        await self._before_connect()
        ws = await self._open(self._url)
        self._ws = ws
        self._hello_answered = False
        try:
            async with asyncio.timeout(self._request_timeout):
                await self._open_session(ws)
        except BaseException as err:
            await self._teardown(ws, lambda: BlueCurrentConnectionError("Connection failed"))
            if isinstance(err, TimeoutError):
                raise BlueCurrentConnectionError("No reply in time while connecting") from err
            if isinstance(err, ConnectionClosed):
                raise closed_error(err) from err
            raise
        self._hello_answered = True
        # Only the host: a URL with user info would put a credential in the log.
        _LOGGER.debug("Connected to %s", urlsplit(self._url).hostname)

    async def _before_connect(self) -> None:
        """Get an auth token before the long-lived socket opens (HA: one-shot validation)."""
        if self._auth_token is None:
            await self.validate_token()

    async def _open_session(self, ws: ClientConnection) -> None:
        """Subscribe the fresh socket to pushes (HA: HELLO with the header)."""
        await self._send(ws, CMD_HELLO, {"header": HELLO_HEADER})
        await self._await_object(ws, Hello)

    async def _await_object[T](self, ws: ClientConnection, kind: type[T]) -> T:
        """Read frames while connecting until one of `kind`; an ERROR raises."""
        while True:
            message = self._handle(await ws.recv())
            if isinstance(message, ServerErrorMessage):
                raise server_error(message, at_auth=True)
            if isinstance(message, kind):
                return message

    async def listen(self) -> None:
        """Receive until the connection ends.

        Returns normally only after disconnect(). Raises BlueCurrentConnectionError when
        the connection is lost, BlueCurrentRequestLimitError on close code 4001 or ERROR 42,
        and the mapped exception of any other ERROR object (the socket is then closed).
        """
        ws = self._ws
        if ws is None or not self._hello_answered:
            raise BlueCurrentConnectionError("Not connected")
        failure: ConnectionClosed | ServerErrorMessage
        try:
            while True:
                try:
                    raw = await ws.recv()
                except ConnectionClosed as err:
                    if self._ws is not ws:
                        return  # disconnect() closed it
                    failure = err
                    break
                message = self._handle(raw)
                if isinstance(message, ServerErrorMessage):
                    _LOGGER.debug("Server sent ERROR %s", message.code)
                    if self._answer_with_error(message):
                        continue
                    failure = message
                    break
        except asyncio.CancelledError:
            await asyncio.shield(
                self._teardown(ws, lambda: BlueCurrentConnectionError("Listener cancelled"))
            )
            raise

        def make_error() -> BlueCurrentError:
            if isinstance(failure, ServerErrorMessage):
                return server_error(failure)
            return closed_error(failure)

        await self._teardown(ws, make_error)
        raise make_error()

    async def disconnect(self) -> None:
        """Close the long-lived socket; safe to call at any time, more than once."""
        ws = self._ws
        if ws is None:
            return
        await self._teardown(ws, lambda: BlueCurrentConnectionError("Disconnected"))

    async def _teardown(self, ws: ClientConnection, make_error: _ErrorFactory) -> None:
        if self._ws is ws:
            self._ws = None
            self._hello_answered = False
            pending, self._pending = self._pending, []
            for request in pending:
                if not request.future.done():
                    request.future.set_exception(make_error())
        await ws.close()

    def _answer_with_error(self, message: ServerErrorMessage) -> bool:
        """Fail the request an ERROR answers; False if it concerns the connection.

        Replies keep the order of the commands, so an ERROR answers the oldest request still
        waiting for its first reply. The socket stays open: one refused command (an
        app-only command, one charge point's status) must not rebuild the connection.
        An invalid token or the request limit, and an ERROR nobody waits for, end it.
        """
        if message.code in (ERROR_REQUEST_LIMIT, ERROR_INVALID_AUTH_TOKEN):
            return False
        for request in self._pending:
            if not request.future.done() and not request.acknowledged:
                self._pending.remove(request)
                request.future.set_exception(server_error(message))
                return True
        return False

    def _handle(self, raw: str | bytes) -> BlueCurrentMessage | None:
        """Parse a frame, hand it to subscribers and to the request waiting for it.

        A reply without `evse_id` (seen for setting results and GRID_STATUS) is given the
        charge point of the request it answers before subscribers see it.
        """
        decoded = self._decode(raw)
        if decoded is None:
            return None
        name, message = decoded
        message = self._with_request_evse_id(name, message)
        for callback in list(self._subscribers):
            try:
                callback(message)
            except Exception:
                _LOGGER.exception("Error in a Blue Current subscriber")
        self._resolve(name, message)
        return message

    def _resolve(self, name: str, message: BlueCurrentMessage) -> None:
        evse_id: str | None = getattr(message, "evse_id", None)
        if isinstance(message, CommandResult) and message.stage == "received":
            waiting = [p for p in self._pending if p.received == name and not p.acknowledged]
            if (request := self._match(waiting, evse_id)) is None:
                return
            if message.failed:
                self._pending.remove(request)
                request.future.set_exception(
                    command_error(request.command, request.evse_id, message.error)
                )
            else:
                request.acknowledged = True
            return
        waiting = [p for p in self._pending if p.reply == name]
        if (request := self._match(waiting, evse_id)) is not None:
            self._pending.remove(request)
            request.future.set_result(message)

    def _with_request_evse_id(self, name: str, message: BlueCurrentMessage) -> BlueCurrentMessage:
        if not isinstance(message, SettingResult | GridStatus) or message.evse_id is not None:
            return message
        waiting = [p for p in self._pending if p.reply == name and not p.future.done()]
        if waiting and (evse_id := waiting[0].evse_id) is not None:
            return replace(message, evse_id=evse_id)
        return message

    @staticmethod
    def _match(waiting: list[_Pending], evse_id: str | None) -> _Pending | None:
        """Oldest request for this evse_id; a reply without evse_id takes the oldest of all."""
        for request in waiting:
            if request.future.done():
                continue
            if evse_id is None or request.evse_id is None or request.evse_id == evse_id:
                return request
        return None

    async def _request(
        self,
        command: str,
        reply: str,
        *,
        evse_id: str | None = None,
        fields: Mapping[str, Any] | None = None,
        received: str | None = None,
        wait: float,
    ) -> BlueCurrentMessage:
        """Send a command on the long-lived socket and await its reply object."""
        ws = self._ws
        if ws is None or not self._hello_answered:
            raise BlueCurrentConnectionError("Not connected")
        request = _Pending(
            command, evse_id, reply, received, asyncio.get_running_loop().create_future()
        )
        # Registered before sending: the reply may be handled while send() yields.
        self._pending.append(request)
        try:
            await self._send(ws, command, {"evse_id": evse_id, **(fields or {})})
            async with asyncio.timeout(wait):
                return await request.future
        except TimeoutError as err:
            raise BlueCurrentCommandTimeoutError(
                command, evse_id, f"no reply within {wait:g} s"
            ) from err
        finally:
            if request in self._pending:
                self._pending.remove(request)

    async def _action(
        self, command: str, evse_id: str | None, fields: Mapping[str, Any] | None = None
    ) -> BlueCurrentMessage:
        """Send a setting/action: RECEIVED_ errors raise at once, STATUS_ is the result."""
        message = await self._request(
            command,
            STATUS_PREFIX + command,
            evse_id=evse_id,
            fields=fields,
            received=RECEIVED_PREFIX + command,
            wait=self._command_timeout,
        )
        if isinstance(message, CommandResult | SettingResult) and message.failed:
            raise command_error(command, evse_id, message.error)
        return message

    # --- data requests -----------------------------------------------------------------------

    async def get_charge_points(self) -> list[ChargePoint]:
        """GET_CHARGE_POINTS -> the account's charge points."""
        return list((await self.get_charge_point_list()).charge_points)

    async def get_charge_point_list(self) -> ChargePoints:
        """GET_CHARGE_POINTS -> the whole reply, with the count of unreadable entries."""
        message = await self._request(
            CMD_GET_CHARGE_POINTS, OBJ_CHARGE_POINTS, wait=self._request_timeout
        )
        return _expect(message, ChargePoints)

    async def get_status(self, evse_id: str) -> ChargePointStatus:
        """GET_CH_STATUS -> the charge point's status."""
        message = await self._request(
            CMD_GET_CH_STATUS, OBJ_CH_STATUS, evse_id=evse_id, wait=self._request_timeout
        )
        return _expect(message, ChargePointStatus)

    async def get_settings(self, evse_id: str) -> ChargePointSettings:
        """GET_CH_SETTINGS -> the charge point's settings."""
        message = await self._request(
            CMD_GET_CH_SETTINGS, OBJ_CH_SETTINGS, evse_id=evse_id, wait=self._request_timeout
        )
        return _expect(message, ChargePointSettings)

    async def get_grid_status(self, evse_id: str) -> GridStatus:
        """GET_GRID_STATUS -> the grid the charge point is on."""
        message = await self._request(
            CMD_GET_GRID_STATUS, OBJ_GRID_STATUS, evse_id=evse_id, wait=self._request_timeout
        )
        grid = _expect(message, GridStatus)
        return grid if grid.evse_id is not None else replace(grid, evse_id=evse_id)

    async def get_charge_cards(self) -> ChargeCards:
        """GET_CHARGE_CARDS (page size 100) -> the account's cards."""
        message = await self._request(
            CMD_GET_CHARGE_CARDS,
            OBJ_CHARGE_CARDS,
            fields={"limit": 100},
            wait=self._request_timeout,
        )
        return _expect(message, ChargeCards)

    # --- settings and actions ----------------------------------------------------------------

    async def set_linked_charge_cards_only(self, evse_id: str, value: bool) -> bool:  # noqa: FBT001
        """Allow only linked cards (sent as the inverted SET_PUBLIC_CHARGING); return the result."""
        message = await self._action(CMD_SET_PUBLIC_CHARGING, evse_id, {"value": not value})
        return _expect(message, SettingResult).value

    async def set_plug_and_charge(self, evse_id: str, value: bool) -> bool:  # noqa: FBT001
        """Turn plug and charge on or off; return the confirmed value."""
        message = await self._action(CMD_SET_PLUG_AND_CHARGE, evse_id, {"value": value})
        return _expect(message, SettingResult).value

    async def set_plug_and_charge_card(self, evse_id: str, card_uid: str | None) -> None:
        """Choose the plug-and-charge card; None means no card."""
        await self._action(
            CMD_SET_PLUG_AND_CHARGE_CHARGE_CARD, evse_id, {"token_uid": card_uid or NO_CARD}
        )

    async def block(self, evse_id: str, value: bool) -> None:  # noqa: FBT001
        """Block (SET_INOPERATIVE) or unblock (SET_OPERATIVE) the charge point."""
        await self._action(CMD_SET_INOPERATIVE if value else CMD_SET_OPERATIVE, evse_id)

    async def soft_reset(self, evse_id: str) -> None:
        """Soft-reset the charge point."""
        await self._action(CMD_SOFT_RESET, evse_id)

    async def reboot(self, evse_id: str) -> None:
        """Reboot the charge point."""
        await self._action(CMD_REBOOT, evse_id)

    async def unlock_connector(self, evse_id: str) -> None:
        """Unlock the connector."""
        await self._action(CMD_UNLOCK_CONNECTOR, evse_id)

    async def start_session(self, evse_id: str, card_uid: str = NO_CARD) -> None:
        """Start a charging session with the card uid (default: no card)."""
        await self._action(CMD_START_SESSION, evse_id, {"session_token": card_uid})

    async def stop_session(self, evse_id: str) -> None:
        """Stop the charging session."""
        await self._action(CMD_STOP_SESSION, evse_id)

    # --- smart charging ----------------------------------------------------------------------

    async def set_delayed_charging(self, evse_id: str, value: bool) -> None:  # noqa: FBT001
        """Turn the delayed-charging profile on or off."""
        await self._smart(CMD_SET_DELAYED_CHARGING, evse_id, {"value": value})

    async def save_delayed_charging_schedule(
        self, evse_id: str, days: Sequence[int], start: time, end: time
    ) -> None:
        """Store the delayed-charging window; days are 1 (Monday) to 7 (Sunday)."""
        if not days or any(not 1 <= day <= 7 for day in days):  # noqa: PLR2004
            raise ValueError("days must be 1 (Monday) to 7 (Sunday)")
        await self._smart(
            CMD_SAVE_SCHEDULE_DELAYED_CHARGING,
            evse_id,
            {
                "days": "[" + ",".join(str(day) for day in sorted(set(days))) + "]",
                "start_time": _hhmm(start),
                "end_time": _hhmm(end),
            },
        )

    async def set_price_based_charging(self, evse_id: str, value: bool) -> None:  # noqa: FBT001
        """Turn the price-based charging profile on or off."""
        await self._smart(CMD_SET_PRICE_BASED_CHARGING, evse_id, {"value": value})

    async def set_price_based_settings(
        self,
        evse_id: str,
        *,
        departure: time | None = None,
        current_battery_pct: int | None = None,
        minimum_pct: int | None = None,
        battery_size_kwh: int | None = None,
    ) -> None:
        """Change price-based settings; only the given fields are sent."""
        fields = {
            "expected_departure_time": _hhmm(departure) if departure is not None else None,
            "current_battery_pct": current_battery_pct,
            "minimum_pct": minimum_pct,
            "battery_size_kwh": battery_size_kwh,
        }
        if all(value is None for value in fields.values()):
            raise ValueError("No price-based setting given")
        await self._smart(CMD_PATCH_PRICE_BASED_CHARGING_SETTINGS, evse_id, fields)

    async def set_price_based_settings_kwh(
        self,
        evse_id: str,
        *,
        departure: time,
        expected_kwh: float,
        minimum_kwh: float,
    ) -> None:
        """SET_PRICE_BASED_SETTINGS, the older form (library 1.3.0-1.3.2) in kWh.

        Its numbers travel as strings, as those library versions sent them.
        """
        fields = {
            "expected_departure_time": _hhmm(departure),
            "expected_kwh": f"{expected_kwh:g}",
            "minimum_kwh": f"{minimum_kwh:g}",
        }
        await self._smart(CMD_SET_PRICE_BASED_SETTINGS, evse_id, fields)

    async def override_charging_profiles(self, evse_id: str, value: bool = True) -> None:  # noqa: FBT001, FBT002
        """Boost past the price-based profile."""
        await self._smart(CMD_OVERRIDE_CHARGING_PROFILES, evse_id, {"value": value})

    async def override_delayed_charging_timeout(
        self,
        evse_id: str,
        value: bool = True,  # noqa: FBT001, FBT002
    ) -> None:
        """Boost past the delay of the delayed-charging profile."""
        await self._smart(CMD_OVERRIDE_DELAYED_CHARGING_TIMEOUT, evse_id, {"value": value})

    async def _smart(self, command: str, evse_id: str, fields: Mapping[str, Any]) -> None:
        try:
            message = await self._request(
                command,
                STATUS_PREFIX + command,
                evse_id=evse_id,
                fields=fields,
                received=RECEIVED_PREFIX + command,
                wait=self._smart_timeout,
            )
        except BlueCurrentCommandTimeoutError as err:
            if not isinstance(err.__cause__, TimeoutError):
                raise  # the server itself said TIMEOUT
            # The real server's reply is unknown (§10 #2): silence means accepted.
            _LOGGER.debug(
                "No reply to %s within %g s; taken as accepted", command, self._smart_timeout
            )
            return
        if isinstance(message, CommandResult) and message.failed:
            raise command_error(command, evse_id, message.error)

    # --- override-current schedules -----------------------------------------------------------

    async def list_override_currents(self) -> list[OverrideCurrentSchedule]:
        """LIST_OVERRIDE_CURRENT -> the account's current-cap schedules."""
        message = await self._request(
            CMD_LIST_OVERRIDE_CURRENT, OBJ_LIST_OVERRIDE_CURRENT, wait=self._request_timeout
        )
        return list(_expect(message, OverrideCurrentList).schedules)

    async def set_override_current(
        self,
        charge_points: Sequence[str],
        *,
        start_time: time,
        start_days: Sequence[Weekday | str],
        stop_time: time,
        stop_days: Sequence[Weekday | str],
        current: float,
    ) -> OverrideCurrentSchedule:
        """Create a current-cap schedule; return it as stored."""
        return await self._save_override(
            CMD_POST_SET_OVERRIDE_CURRENT,
            OBJ_POST_SET_OVERRIDE_CURRENT,
            None,
            _override_fields(charge_points, start_time, start_days, stop_time, stop_days, current),
        )

    async def edit_override_current(
        self,
        schedule_id: str,
        charge_points: Sequence[str],
        *,
        start_time: time,
        start_days: Sequence[Weekday | str],
        stop_time: time,
        stop_days: Sequence[Weekday | str],
        current: float,
    ) -> OverrideCurrentSchedule:
        """Replace a current-cap schedule; return it as stored."""
        return await self._save_override(
            CMD_POST_EDIT_OVERRIDE_CURRENT,
            OBJ_POST_EDIT_OVERRIDE_CURRENT,
            str(schedule_id),
            _override_fields(charge_points, start_time, start_days, stop_time, stop_days, current),
        )

    async def _save_override(
        self, command: str, reply: str, schedule_id: str | None, fields: dict[str, Any]
    ) -> OverrideCurrentSchedule:
        message = await self._request(
            command,
            reply,
            fields={"schedule_id": schedule_id, **fields},
            wait=self._request_timeout,
        )
        saved = _expect(message, OverrideCurrentSaved)
        if saved.failed or saved.schedule is None:
            raise BlueCurrentCommandRejectedError(command, None, saved.error or "unsuccessful")
        return saved.schedule

    async def clear_override_current(self, schedule_id: str) -> None:
        """Delete a current-cap schedule (the id goes out as a number, as the server expects)."""
        wire_id: int | str = int(schedule_id) if str(schedule_id).isdigit() else schedule_id
        message = await self._request(
            CMD_POST_CLEAR_OVERRIDE_CURRENT,
            OBJ_POST_CLEAR_OVERRIDE_CURRENT,
            fields={"schedule_id": wire_id},
            wait=self._request_timeout,
        )
        cleared = _expect(message, OverrideCurrentCleared)
        if cleared.failed:
            raise BlueCurrentCommandRejectedError(
                CMD_POST_CLEAR_OVERRIDE_CURRENT, None, cleared.error or "unsuccessful"
            )


def _override_fields(
    charge_points: Sequence[str],
    start_time: time,
    start_days: Sequence[Weekday | str],
    stop_time: time,
    stop_days: Sequence[Weekday | str],
    current: float,
) -> dict[str, Any]:
    return {
        "chargepoints": list(charge_points),
        "overridestarttime": _hhmm(start_time),
        "overridestartdays": [Weekday(day).value for day in start_days],
        "overridestoptime": _hhmm(stop_time),
        "overridestopdays": [Weekday(day).value for day in stop_days],
        "overridevalue": float(current),
    }


def _expect[T](message: BlueCurrentMessage, kind: type[T]) -> T:
    if not isinstance(message, kind):
        raise BlueCurrentConnectionError(f"Unexpected reply {type(message).__name__}")
    return message
