"""The push base: one long-lived connection per account, kept open by a reconnect loop.

The loop runs in an entry background task: it runs one session (connect, read, listen)
after the other, with capped exponential backoff and full jitter between them. The first
session decides setup (success, auth failure, not ready). The backoff starts over only after
a session stayed up for RECONNECT_STABLE_AFTER: a server that accepts, serves data and drops
again meets a growing delay, not a reconnect a second. The grace period of the base
coordinator keeps entities available across a brief drop.

A brand implements `_async_session` (one connection, returns or raises when it ends; it calls
`_async_set_link_up` once data flows, `_async_set_link_down` when it ends, and sets
`_delivered_in_session`) and may override `_async_after_error` (reauth, a rate-limit wait, or
`_closed_on_purpose` (a server that closes the socket when a charger is switched off: that
is "off", not an outage).
"""

from __future__ import annotations

import asyncio
import random
from enum import Enum, auto
from typing import TYPE_CHECKING, Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    LOGGER,
    RECONNECT_BASE_DELAY,
    RECONNECT_JITTER,
    RECONNECT_MAX_DELAY,
    RECONNECT_STABLE_AFTER,
    SETUP_TIMEOUT,
)
from .coordinator import EVChargePointsCoordinator

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .model import AccountData


def backoff_delay(
    attempt: int,
    *,
    base: float = RECONNECT_BASE_DELAY,
    cap: float = RECONNECT_MAX_DELAY,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """Delay before reconnect `attempt` (0-based): jittered below min(cap, base * 2**attempt).

    The jitter spreads the reconnects of many installations after a server outage instead
    of letting them arrive in lockstep (see RECONNECT_JITTER and RECONNECT_MAX_DELAY).
    """
    ceiling = min(cap, base * 2 ** min(attempt, 32))
    return uniform(ceiling * (1 - RECONNECT_JITTER), ceiling)


class AfterError(Enum):
    """What the loop does after a session ended with an error."""

    BACKOFF = auto()  # wait the backoff delay, then reconnect
    RETRY_NOW = auto()  # reconnect at once, the backoff starts over (the brand waited)
    STOP = auto()  # end the loop (the brand asked the user for something)


class PushCoordinator[ClientT](EVChargePointsCoordinator[ClientT]):
    """A coordinator fed by pushes over one connection that a loop keeps open."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any], client: ClientT) -> None:
        """Prepare; nothing connects until `async_config_entry_first_refresh`."""
        super().__init__(hass, entry, client)
        self._loop_task: asyncio.Task[None] | None = None
        self._setup_future: asyncio.Future[None] | None = None
        self._cleanup: list[CALLBACK_TYPE] = []
        self._delivered_in_session = False
        # When the link of the running session came up (None: not yet).
        self._up_since: datetime | None = None

    # --- hooks -----------------------------------------------------------------------------

    @callback
    def _async_prepare(self) -> None:
        """Before the first session: subscribe to the client (add removers to `_cleanup`)."""

    async def _async_session(self) -> None:
        """Run one connection until it ends."""
        raise NotImplementedError

    def _setup_error(self, err: Exception) -> Exception:
        """The error setup raises when the first session failed with `err`."""
        return ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err) or type(err).__name__},
        )

    def _setup_waits_for(self, error: Exception) -> bool:  # noqa: ARG002
        """Whether a first session that failed with `error` still completes setup.

        Blue Current's daily request limit: Home Assistant's own setup retries would only
        spend requests, so setup completes (entities unavailable, a repair issue) and the
        loop waits for the reset.
        """
        return False

    def _closed_on_purpose(self, error: Exception) -> bool:  # noqa: ARG002
        """Whether the session ended because the server closed it on purpose.

        veCharge, for one, closes a charger's socket when the charger is switched off: the
        brand publishes the point as off and returns True here.
        """
        return False

    async def _async_after_error(self, error: Exception) -> AfterError:  # noqa: ARG002
        """Decide what follows a session that ended with `error`."""
        return AfterError.BACKOFF

    async def _async_after_first_refresh(self) -> None:
        """After a successful setup: start the brand's timers."""

    async def _async_close(self) -> None:
        """Close the connection (shutdown)."""

    # --- lifecycle ---------------------------------------------------------------------------

    async def async_config_entry_first_refresh(self) -> None:
        """Start the connection loop and wait for the first complete data set.

        Raises what `_setup_error` makes of the first failure (ConfigEntryAuthFailed for a
        refused credential, ConfigEntryNotReady otherwise), so Home Assistant retries setup.
        """
        self._setup_future = self.hass.loop.create_future()
        entry = self.config_entry
        self._async_prepare()
        # The base class removes this listener in async_shutdown.
        self._unsub_shutdown = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_on_hass_stop
        )
        self._loop_task = entry.async_create_background_task(
            self.hass, self._async_run(), f"{DOMAIN} websocket {entry.entry_id}"
        )
        try:
            async with asyncio.timeout(SETUP_TIMEOUT):
                await self._setup_future
        except TimeoutError as err:
            await self.async_shutdown()
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN, translation_key="setup_timeout"
            ) from err
        except Exception as err:
            raise self._setup_error(err) from err
        finally:
            self._setup_future = None
        await self._async_after_first_refresh()

    async def _async_update_data(self) -> AccountData:
        """Pushes keep the data current; a manual refresh only reports the link state."""
        if not self.connected:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="not_connected")
        return self.data

    async def async_shutdown(self) -> None:
        """Stop the loop, close the connection and cancel every timer (idempotent)."""
        await super().async_shutdown()
        self._stopping = True
        while self._cleanup:
            self._cleanup.pop()()
        self._async_cancel_grace()
        if (task := self._loop_task) is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})
        await self._async_close()

    async def _async_on_hass_stop(self, _event: Event) -> None:
        self._unsub_shutdown = None  # a fired once-listener must not be removed again
        await self.async_shutdown()

    @callback
    def _async_set_link_up(self) -> None:
        if self._setup_future is not None and not self._setup_future.done():
            self._setup_future.set_result(None)
        if self._up_since is None:
            self._up_since = dt_util.utcnow()
        super()._async_set_link_up()

    def _stayed_up(self) -> bool:
        """Whether the session that just ended delivered data and stayed up for a while."""
        since = self._up_since
        return (
            self._delivered_in_session
            and since is not None
            and dt_util.utcnow() - since >= RECONNECT_STABLE_AFTER
        )

    # --- the connection loop -----------------------------------------------------------------

    @callback
    def _async_fail_setup(self, err: BaseException) -> bool:
        """Hand `err` to a setup that is still waiting; True if one was.

        An error the brand's setup waits out (`_setup_waits_for`) completes setup instead.
        """
        if self._setup_future is None or self._setup_future.done():
            return False
        if isinstance(err, Exception) and self._setup_waits_for(err):
            self._setup_future.set_result(None)
            return False
        self._setup_future.set_exception(err)
        return True

    async def _async_run(self) -> None:
        """Connect, listen, and reconnect until unloaded; never ends on a transient error."""
        attempt = 0
        while not self._stopping:
            error: Exception | None = None
            self._up_since = None
            try:
                await self._async_session()
            except Exception as err:  # noqa: BLE001 - whatever breaks the link, the loop goes on
                error = err
            if error is not None and self._closed_on_purpose(error):
                # No outage: setup succeeds, no grace period runs, entities stay available
                # with what the brand published; reconnect after the backoff.
                self._async_set_link_up()
                error = None
            if error is not None and self._async_fail_setup(error):
                return
            if self._stopping or self.hass.is_stopping:
                return
            if error is not None:
                after = await self._async_after_error(error)
                if after is AfterError.STOP:
                    return
                if after is AfterError.RETRY_NOW:
                    attempt = 0
                    continue
                LOGGER.debug("%s connection ended: %s", self.brand_name, type(error).__name__)
            if self._stayed_up():
                attempt = 0  # the link worked for a while: a fresh drop starts over
            delay = backoff_delay(attempt)
            attempt += 1
            self.reconnects += 1
            LOGGER.debug("Reconnecting to %s in %.1f s", self.brand_name, delay)
            await self._async_sleep(delay)

    async def _async_sleep(self, seconds: float) -> None:
        """Sleep on Home Assistant's scheduler (tests drive it with async_fire_time_changed)."""
        waiter: asyncio.Future[None] = self.hass.loop.create_future()

        @callback
        def _wake(_now: datetime) -> None:
            if not waiter.done():
                waiter.set_result(None)

        cancel = async_call_later(self.hass, seconds, _wake)
        try:
            await waiter
        finally:
            cancel()

    async def _async_sleep_until(self, when: datetime) -> None:
        waiter: asyncio.Future[None] = self.hass.loop.create_future()

        @callback
        def _wake(_now: datetime) -> None:
            if not waiter.done():
                waiter.set_result(None)

        cancel = async_track_point_in_utc_time(self.hass, _wake, when)
        try:
            await waiter
        finally:
            cancel()
