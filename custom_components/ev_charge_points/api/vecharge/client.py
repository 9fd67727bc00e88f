"""Async client for one veCharge charger: the Socket.IO push stream and the on/off REST call.

One `connect()` opens one connection: it returns the charger document the server sends first,
then events go to the subscribers until the connection ends, which is reported once as a
`Disconnected` event (and by `wait_disconnected()`). The client never reconnects by itself; the
caller owns the backoff. The server closes the socket when the charger is switched off (seed):
that end is `DisconnectReason.CHARGER_OFF`, not an error.

Speaks Socket.IO 5 / Engine.IO 4 through python-socketio 5 (what the seed's upstream README asks
for since 2022-01-12).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote, urlencode

import aiohttp
import socketio  # type: ignore[import-untyped]

from .const import (
    BEARER_PREFIX,
    DEFAULT_BASE_URL,
    EVENT_CHARGER_CONNECTED,
    EVENT_ERROR,
    EVENT_NEW_LOG,
    EVENT_STATUS_CHANGED,
    QUERY_CHARGER_ID,
    QUERY_TOKEN,
    SOCKETIO_PATH,
)
from .exceptions import (
    VeChargeConnectionError,
    VeChargeError,
    VeChargeParseError,
    VeChargeTimeoutError,
)
from .logs import TRANSPORT_LOGGER
from .models import (
    ChargerDocument,
    ChargerStatus,
    Disconnected,
    DisconnectReason,
    MeterLog,
    ServerMessage,
    VeChargeEvent,
    parse_charger_document,
    parse_meter_log,
    parse_server_message,
    parse_status_change,
)
from .refusal import refusal_from_message, refusal_from_status
from .rest import patch_desired_state
from .socket import SocketIOClient

if TYPE_CHECKING:
    import ssl
    from types import TracebackType

_LOGGER = logging.getLogger(__name__)

type EventCallback = Callable[[VeChargeEvent], None]

_STATUS_CODE = re.compile(r"status code (\d{3})")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventStats:
    """Counters for diagnostics: events received, and events dropped because unreadable."""

    received: int
    dropped_unknown: int
    dropped_malformed: int


class VeChargeClient:
    """One charger's connection to the veCharge cloud."""

    def __init__(
        self,
        *,
        token: str,
        charger_id: str,
        base_url: str = DEFAULT_BASE_URL,
        session: aiohttp.ClientSession | None = None,
        ssl_context: ssl.SSLContext | None = None,
        request_timeout: float = 10.0,
        connect_timeout: float = 15.0,
        document_timeout: float = 10.0,
        transports: list[str] | None = None,
    ) -> None:
        """Keep the settings; nothing connects until `connect()`.

        `token` is the bare token (a leading "Bearer " is tolerated). `session` is used and never
        closed; without one the client makes (and closes) its own, using `ssl_context` if given.
        An injected session should carry the SSL context in its connector: python-socketio's
        long-polling requests use the session's defaults. `document_timeout` bounds the wait for
        the first `chargerConnected`; the connection is kept if it does not come.
        """
        self._token = token.removeprefix(BEARER_PREFIX)
        self.charger_id = charger_id
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._owns_session = session is None
        self._ssl_context = ssl_context
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.document_timeout = document_timeout
        self._transports = transports
        self._subscribers: list[EventCallback] = []
        self._sio: SocketIOClient | None = None
        self._established = False
        self._off_announced = False
        self._server_message: ServerMessage | None = None
        self._refusal_data: Any = None
        self._first_document: asyncio.Future[ChargerDocument] | None = None
        self._closed: asyncio.Future[Disconnected] | None = None
        self._status_waiters: list[tuple[ChargerStatus, asyncio.Future[None]]] = []
        self._received = 0
        self._dropped_unknown = 0
        self._dropped_malformed = 0
        self.last_document: ChargerDocument | None = None
        self.last_log: MeterLog | None = None
        self.status: ChargerStatus | None = None

    # ----------------------------------------------------------------- public API

    @property
    def connected(self) -> bool:
        """Whether a connection is open."""
        return self._established and self._closed is not None and not self._closed.done()

    @property
    def stats(self) -> EventStats:
        """A snapshot of the event counters."""
        return EventStats(
            received=self._received,
            dropped_unknown=self._dropped_unknown,
            dropped_malformed=self._dropped_malformed,
        )

    def subscribe(self, callback: EventCallback) -> Callable[[], None]:
        """Call `callback(event)` for every event; returns the unsubscribe function."""
        self._subscribers.append(callback)

        def _unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return _unsubscribe

    async def connect(self) -> ChargerDocument | None:
        """Open one connection; return the first charger document (None if none came in time).

        Raises `VeChargeAuthError` / `VeChargeUnknownChargerError` (or their base
        `VeChargeRefusedError`) when the server refuses, `VeChargeTimeoutError` when it does not
        answer in `connect_timeout`, `VeChargeConnectionError` when it cannot be reached.
        """
        if self._sio is not None:
            raise VeChargeError("already connected; disconnect() first")
        loop = asyncio.get_running_loop()
        self._established = False
        self._off_announced = False
        self._server_message = None
        self._refusal_data = None
        self._first_document = loop.create_future()
        self._closed = loop.create_future()
        sio = self._new_socket(await self._http_session())
        self._sio = sio
        try:
            try:
                async with asyncio.timeout(self.connect_timeout):
                    await sio.connect(
                        self.socket_url,
                        namespaces=["/"],
                        transports=self._transports,
                        socketio_path=SOCKETIO_PATH,
                        wait_timeout=self.connect_timeout,
                    )
            except TimeoutError as err:
                raise VeChargeTimeoutError(
                    f"no handshake from the server in {self.connect_timeout} s"
                ) from err
            except socketio.exceptions.ConnectionError as err:
                raise self._connect_failure(err) from None
            if sio.closed_early:
                # The close was swallowed by python-socketio (see socket.py): finish it here.
                await sio.disconnect()
                self._finish(self._close_reason(sio.reason.SERVER_DISCONNECT))
            first: list[asyncio.Future[Any]] = [self._first_document, asyncio.shield(self._closed)]
            await asyncio.wait(
                first,
                timeout=self.document_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            self._raise_if_closed()
        except BaseException:
            await self._drop_socket()
            self._closed = None
            raise
        self._established = True
        return self._first_document.result() if self._first_document.done() else None

    async def wait_disconnected(self) -> Disconnected:
        """Wait until the current connection ends and say why."""
        if self._closed is None:
            raise VeChargeError("not connected")
        return await asyncio.shield(self._closed)

    async def disconnect(self) -> None:
        """Close the connection (reported as `CLIENT_CLOSED`); harmless when not connected."""
        sio = self._sio
        if sio is None:
            return
        await sio.disconnect()
        # python-socketio reports our own disconnect through the handler; make sure it ended.
        self._finish(Disconnected(reason=DisconnectReason.CLIENT_CLOSED))
        self._sio = None

    async def close(self) -> None:
        """Disconnect and close the HTTP session if this client made it."""
        await self.disconnect()
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        """Use the client as an async context manager (it closes on exit)."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the client."""
        await self.close()

    async def set_status(
        self,
        status: ChargerStatus,
        *,
        confirm_timeout: float | None = None,
    ) -> None:
        """Ask the server to switch the charger on or off (REST PATCH).

        With `confirm_timeout` and an open connection, also wait for the `statusChanged` that
        confirms it; `VeChargeTimeoutError` when it does not come in time.
        """
        waiter: asyncio.Future[None] | None = None
        if confirm_timeout is not None and self.connected:
            waiter = asyncio.get_running_loop().create_future()
            self._status_waiters.append((status, waiter))
        try:
            await patch_desired_state(
                await self._http_session(),
                base_url=self.base_url,
                token=self._token,
                charger_id=self.charger_id,
                status=status,
                timeout=self.request_timeout,
                ssl_context=self._ssl_context,
            )
            if waiter is not None:
                try:
                    async with asyncio.timeout(confirm_timeout):
                        await waiter
                except TimeoutError as err:
                    raise VeChargeTimeoutError(
                        f"the server did not confirm {status} in {confirm_timeout} s"
                    ) from err
        finally:
            if waiter is not None:
                self._status_waiters = [w for w in self._status_waiters if w[1] is not waiter]

    async def turn_on(self, *, confirm_timeout: float | None = None) -> None:
        """Switch the charger on."""
        await self.set_status(ChargerStatus.ON, confirm_timeout=confirm_timeout)

    async def turn_off(self, *, confirm_timeout: float | None = None) -> None:
        """Switch the charger off (the server then closes the socket)."""
        await self.set_status(ChargerStatus.OFF, confirm_timeout=confirm_timeout)

    @property
    def socket_url(self) -> str:
        """The handshake URL: the seed's query, properly percent-encoded (`Bearer%20...`)."""
        query = urlencode(
            {QUERY_TOKEN: BEARER_PREFIX + self._token, QUERY_CHARGER_ID: self.charger_id},
            safe="",
            quote_via=quote,
        )
        return f"{self.base_url}?{query}"

    # ----------------------------------------------------------------- internals

    async def _http_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(ssl=self._ssl_context or True)
            self._session = aiohttp.ClientSession(connector=connector)
            self._owns_session = True
        return self._session

    def _new_socket(self, session: aiohttp.ClientSession) -> SocketIOClient:
        extra: dict[str, Any] = {"ssl": self._ssl_context} if self._ssl_context else {}
        sio = SocketIOClient(
            reconnection=False,
            logger=TRANSPORT_LOGGER,
            engineio_logger=TRANSPORT_LOGGER,
            handle_sigint=False,
            http_session=session,
            # Our own timeout (connect_timeout) must trip first, so it is reported as a timeout.
            request_timeout=self.connect_timeout + 5,
            websocket_extra_options=extra,
        )
        sio.on("connect_error", self._on_connect_error)
        sio.on("disconnect", self._on_disconnect)
        sio.on(EVENT_CHARGER_CONNECTED, self._on_charger_connected)
        sio.on(EVENT_STATUS_CHANGED, self._on_status_changed)
        sio.on(EVENT_NEW_LOG, self._on_new_log)
        sio.on(EVENT_ERROR, self._on_error)
        sio.on("*", self._on_unknown)
        return sio

    async def _drop_socket(self) -> None:
        sio, self._sio = self._sio, None
        if sio is not None:
            with contextlib.suppress(Exception):
                await sio.disconnect()
        self._established = False

    def _connect_failure(self, err: Exception) -> VeChargeError:
        message = str(err.args[0]) if err.args else str(err)
        data = self._refusal_data
        if match := _STATUS_CODE.search(message):
            detail = data.get("message", "") if isinstance(data, dict) else ""
            return refusal_from_status(int(match.group(1)), str(detail))
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            return refusal_from_message(data["message"])
        if isinstance(data, str) and data != message:
            return refusal_from_message(data)
        return VeChargeConnectionError(f"cannot connect: {message}")

    def _raise_if_closed(self) -> None:
        if self._closed is None or not self._closed.done():
            return
        closed = self._closed.result()
        if isinstance(closed.error, VeChargeError):
            raise closed.error
        raise VeChargeConnectionError(f"the server closed the connection ({closed.reason})")

    def _close_reason(self, reason: str) -> Disconnected:
        if reason == socketio.AsyncClient.reason.CLIENT_DISCONNECT:
            return Disconnected(reason=DisconnectReason.CLIENT_CLOSED)
        if reason == socketio.AsyncClient.reason.SERVER_DISCONNECT:
            if self._server_message is not None:
                error = refusal_from_message(self._server_message.message)
                return Disconnected(reason=DisconnectReason.REFUSED, error=error)
            if self._off_announced:
                return Disconnected(reason=DisconnectReason.CHARGER_OFF)
            return Disconnected(reason=DisconnectReason.SERVER_CLOSED)
        return Disconnected(
            reason=DisconnectReason.CONNECTION_LOST,
            error=VeChargeConnectionError(f"connection lost ({reason})"),
        )

    def _finish(self, closed: Disconnected) -> None:
        if self._closed is None or self._closed.done():
            return
        self._closed.set_result(closed)
        for _, waiter in self._status_waiters:
            if not waiter.done():
                waiter.set_exception(VeChargeConnectionError(f"disconnected ({closed.reason})"))
        self._status_waiters = []
        if self._established:
            _LOGGER.debug("veCharge %s disconnected: %s", self.charger_id, closed.reason)
            self._deliver(closed)

    def _deliver(self, event: VeChargeEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                _LOGGER.exception("veCharge event subscriber failed")

    def _dropped(self, event: str, err: VeChargeParseError) -> None:
        self._dropped_malformed += 1
        _LOGGER.debug("veCharge %s: dropped a malformed %s event: %s", self.charger_id, event, err)

    # ----------------------------------------------------------------- handlers

    async def _on_connect_error(self, data: Any = None) -> None:
        self._refusal_data = data

    async def _on_disconnect(self, reason: str = "") -> None:
        if self._sio is not None and not self._sio.closed_early:
            self._finish(self._close_reason(reason))
            self._sio = None

    async def _on_charger_connected(self, data: Any = None) -> None:
        self._received += 1
        try:
            document = parse_charger_document(data)
        except VeChargeParseError as err:
            self._dropped(EVENT_CHARGER_CONNECTED, err)
            return
        self.last_document = document
        self.status = document.status
        if self._first_document is not None and not self._first_document.done():
            self._first_document.set_result(document)
        self._deliver(document)

    async def _on_status_changed(self, data: Any = None) -> None:
        self._received += 1
        try:
            change = parse_status_change(data)
        except VeChargeParseError as err:
            self._dropped(EVENT_STATUS_CHANGED, err)
            return
        self.status = change.status
        self._off_announced = change.status is ChargerStatus.OFF
        for wanted, waiter in self._status_waiters:
            if wanted is change.status and not waiter.done():
                waiter.set_result(None)
        self._deliver(change)

    async def _on_new_log(self, data: Any = None) -> None:
        self._received += 1
        try:
            log = parse_meter_log(data)
        except VeChargeParseError as err:
            self._dropped(EVENT_NEW_LOG, err)
            return
        self.last_log = log
        self._deliver(log)

    async def _on_error(self, data: Any = None) -> None:
        self._received += 1
        try:
            message = parse_server_message(data)
        except VeChargeParseError as err:
            self._dropped(EVENT_ERROR, err)
            return
        self._server_message = message
        _LOGGER.debug("veCharge %s: server error event: %s", self.charger_id, message.message)
        self._deliver(message)

    async def _on_unknown(self, event: str, *_args: Any) -> None:
        self._received += 1
        self._dropped_unknown += 1
        _LOGGER.debug("veCharge %s: dropped unknown event %r", self.charger_id, event)
