"""The brand-neutral coordinator base: one account (config entry) of any brand.

A brand's coordinator (see `brands/`) turns its client's models into the neutral model of
`model.py` and hands every charge point and grid to `_async_publish_charge_point` /
`_async_publish_grid`. The base keeps `data`, compares each new version with the last one and
wakes only the entities that read a changed field (`async_add_key_listener`); it owns the
connection state with its grace period, the devices of charge points that left, the events
derived from changes, and the neutral commands the platforms call. A command a brand does not
override raises a translated "not supported" error.

Push brands build on `push.PushCoordinator`, polled brands on `polled.PolledCoordinator`;
entities never know which one they read.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, UNAVAILABLE_GRACE_PERIOD
from .errors import validation_error
from .events import (
    EVENT_CHARGE_POINT,
    EVENT_CHARGING_STARTED,
    EVENT_CHARGING_STOPPED,
    EVENT_OFFLINE,
    EVENT_ONLINE,
    EVENT_SESSION_ENDED,
    EVENT_VEHICLE_CONNECTED,
    EVENT_VEHICLE_DISCONNECTED,
)
from .lifetime_meter import LifetimeMeter, MeterObservation, MeterState, max_power_kw
from .model import AccountData, Capability, ChargePointData, GridData, changed_fields

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime, timedelta, tzinfo

    from homeassistant.config_entries import ConfigEntry

type PointEventCallback = Callable[[str, dict[str, Any]], None]
# A key listener and the model fields it reads (None: every change wakes it).
type _KeyListener = tuple[CALLBACK_TYPE, frozenset[str] | None]


def not_supported_error() -> HomeAssistantError:
    """The error of a command the charge point's brand (or model) does not offer."""
    return HomeAssistantError(translation_domain=DOMAIN, translation_key="not_supported")


def _frame_time() -> datetime:
    """When the lifetime meter saw a frame (the tests follow the simulator's clock here)."""
    return dt_util.utcnow()


@dataclass(slots=True)
class _PointMeter:
    """A charge point's one lifetime meter (lifetime_meter.py) and the last frame it saw.

    Until the lifetime sensor gives it its starting point (`adopted`: its restored state, the
    history's seed, or none), it serves only the session rule: the shown start and stop and
    `session_ended`; its total is not shown.
    """

    meter: LifetimeMeter = field(default_factory=LifetimeMeter)
    adopted: bool = False
    last: MeterObservation | None = None

    @property
    def total(self) -> float | None:
        """The reading the lifetime sensor shows (None: no starting point, nothing counted)."""
        state = self.meter.state
        if not self.adopted or (state.session is None and state.total_kwh == 0):
            return None  # nothing counted nor seeded yet: not a reading of 0
        return round(state.total_kwh, 4)


class EVChargePointsCoordinator[ClientT](DataUpdateCoordinator[AccountData]):
    """Neutral data, listeners and commands of one account; `ClientT` is the brand's client."""

    # Typed loosely: the entry's runtime data (runtime.py) refers to this class.
    config_entry: ConfigEntry[Any]
    # The brand's name as log lines show it ("Connection to <brand_name> restored").
    brand_name: ClassVar[str] = "the charge point backend"
    # The manufacturer the account and grid devices show.
    manufacturer: ClassVar[str | None] = None
    # Exceptions of the brand's client that `async_execute` turns into translated errors.
    client_errors: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        client: ClientT,
        *,
        update_interval: timedelta | None = None,
    ) -> None:
        """Prepare; nothing connects until `async_config_entry_first_refresh`."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            # Not the title: it is often the account's e-mail and this name appears in logs.
            name=f"{DOMAIN} {entry.entry_id}",
            update_interval=update_interval,
            always_update=False,
        )
        self.client = client
        self.customer_id: str = entry.unique_id or ""
        self.data = AccountData(charge_points={}, grids={})
        # `connected` only turns False after the grace period; `link_up` is the raw link state.
        self.connected = False
        self.link_up = False
        self.reconnects = 0
        self._stopping = False
        self._cancel_grace: CALLBACK_TYPE | None = None
        self._key_listeners: dict[str, list[_KeyListener]] = {}
        self._new_point_listeners: list[Callable[[set[str]], None]] = []
        self._point_event_listeners: dict[str, list[PointEventCallback]] = {}
        self._status_seen: set[str] = set()
        # Per charge point: its one lifetime meter. Its session rule gives the shown session
        # start and stop and `session_ended` (exactly once per session); its total is the
        # lifetime energy (`lifetime_total`). Kept when a point leaves: it goes on if it returns.
        self._meters: dict[str, _PointMeter] = {}
        # The zone of a server that sends naive local times (the brand's `server_zone`).
        self.server_zone: tzinfo | None = None

    # --- what the brand offers ---------------------------------------------------------------

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002 - per brand
        """What the charge point can do; entities and actions exist only for these."""
        return frozenset({Capability.STATUS})

    def supports(self, evse_id: str, capability: Capability | None) -> bool:
        """Whether the charge point has `capability` (None: every charge point has it)."""
        return capability is None or capability in self.capabilities(evse_id)

    # --- listeners -------------------------------------------------------------------------

    @callback
    def async_add_key_listener(
        self,
        key: str,
        update_callback: CALLBACK_TYPE,
        *,
        reads: frozenset[str] | None = None,
    ) -> CALLBACK_TYPE:
        """Call `update_callback` when the charge point or grid `key` changes.

        With `reads` (model field names) only changes of those fields call it. Connection
        changes, a point leaving and account data outside the model call every listener.
        """
        listener: _KeyListener = (update_callback, reads)
        self._key_listeners.setdefault(key, []).append(listener)

        @callback
        def _remove() -> None:
            listeners = self._key_listeners.get(key)
            if listeners is None:
                return
            with contextlib.suppress(ValueError):
                listeners.remove(listener)
            if not listeners:
                del self._key_listeners[key]

        return _remove

    @callback
    def async_add_new_charge_points_listener(
        self, new_callback: Callable[[set[str]], None]
    ) -> CALLBACK_TYPE:
        """Call `new_callback(evse_ids)` when charge points join the account while running."""
        self._new_point_listeners.append(new_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError):
                self._new_point_listeners.remove(new_callback)

        return _remove

    @callback
    def _async_announce_charge_points(self, evse_ids: set[str]) -> None:
        """Tell the platforms about charge points that joined the account."""
        for new_callback in list(self._new_point_listeners):
            new_callback(set(evse_ids))

    @callback
    def _async_notify_key(self, key: str, changed: frozenset[str] | None = None) -> None:
        """Wake the listeners of `key` that read a `changed` field (None: all of them)."""
        for update_callback, reads in list(self._key_listeners.get(key, ())):
            if changed is None or reads is None or not reads.isdisjoint(changed):
                update_callback()

    @callback
    def _async_notify_points(self) -> None:
        """Wake every charge point's entities (account data outside the model changed)."""
        for evse_id in list(self.data.charge_points):
            self._async_notify_key(evse_id)

    @callback
    def _async_notify_all(self) -> None:
        for listeners in list(self._key_listeners.values()):
            for update_callback, _reads in list(listeners):
                update_callback()
        self.async_update_listeners()

    # --- diff and publish ----------------------------------------------------------------------

    @callback
    def _async_publish_charge_point(self, model: ChargePointData, *, has_status: bool) -> None:
        """Take a charge point's new version; wake its entities if a field changed.

        `has_status`: the brand has seen a live status of the point (events start after it).
        """
        evse_id = model.id
        previous = self.data.charge_points.get(evse_id)
        model, session_ended = self._async_apply_session_rule(model, has_status=has_status)
        changed = None if previous is None else changed_fields(previous, model)
        if changed is not None and not changed:
            return
        self.data.charge_points[evse_id] = model
        self._async_detect_transitions(
            evse_id, previous, model, has_status=has_status, session_ended=session_ended
        )
        self._async_notify_key(evse_id, changed)

    @callback
    def _async_apply_session_rule(
        self, model: ChargePointData, *, has_status: bool
    ) -> tuple[ChargePointData, bool]:
        """Feed the frame to the point's lifetime meter: the shown start/stop, a session end.

        A session end is never reported for the first status: that is the starting point.

        The rule is `LifetimeMeter`'s (lifetime_meter.py): one bad frame (an empty or null
        time, a late frame of the previous session, a dip) neither moves the shown times
        back nor ends a session; a reconnect that reads the same status again ends nothing.
        The same observation counts the lifetime energy (`lifetime_total`): one meter per
        charge point, fed once per frame.
        """
        point = self._meters.get(model.id)
        if not has_status:
            previous = self.data.charge_points.get(model.id)
            if previous is None and point is None:
                return model, False
            return replace(
                model,
                shown_session_start=None if previous is None else previous.shown_session_start,
                shown_session_stop=None if previous is None else previous.shown_session_stop,
                lifetime_total=None if point is None else point.total,
            ), False
        if point is None:
            point = self._meters[model.id] = _PointMeter()
        first = point.last is None
        point.last = observation = MeterObservation(
            received_at=_frame_time(),
            session_start=model.session_start,
            session_stop=model.session_stop,
            session_energy_kwh=model.session_energy,
            online=model.online,
            # The phases are not known: the bound takes three (the most generous).
            max_power_kw=max_power_kw(model.max_usage, None),
            server_zone=self.server_zone,
        )
        update = point.meter.observe(observation)
        shown = replace(
            model,
            shown_session_start=update.session_start,
            shown_session_stop=update.session_stop,
            lifetime_total=point.total,
        )
        return shown, update.session_ended and not first

    @callback
    def async_adopt_lifetime_meter(self, evse_id: str, state: MeterState | None) -> None:
        """Give the point's lifetime meter its starting point: the lifetime sensor calls this.

        `state`: the sensor's restored meter, or a seed from the account's history; None: a
        new meter, which counts from the first frame the coordinator saw. Once per meter: a
        sensor added again (the point left and came back) continues the adopted one.

        The frames seen so far fed only the session rule. The adopted state sees the last of
        them again: the running session counts from what the state had counted of it (the
        restored data records that), so nothing is counted twice or lost. What the adoption
        shows is no change: it fires no event, and the shown times never go back.
        """
        point = self._meters.setdefault(evse_id, _PointMeter())
        if point.adopted:
            return
        if state is not None:
            meter = LifetimeMeter(state)
            if point.last is not None:
                meter.observe(point.last)
            meter.state = meter.state.shown_at_least(point.meter.state)
            point.meter = meter
        point.adopted = True
        if (previous := self.data.charge_points.get(evse_id)) is None:
            return  # it shows once the point is back
        shown = point.meter.state
        model = replace(
            previous,
            shown_session_start=shown.shown_start,
            shown_session_stop=shown.shown_stop,
            lifetime_total=point.total,
        )
        if changed := changed_fields(previous, model):
            self.data.charge_points[evse_id] = model
            self._async_notify_key(evse_id, changed)

    def lifetime_meter_state(self, evse_id: str) -> MeterState | None:
        """The adopted meter's whole state (the lifetime sensor's restore data); else None."""
        point = self._meters.get(evse_id)
        return None if point is None or not point.adopted else point.meter.state

    @callback
    def _async_publish_grid(self, model: GridData) -> None:
        """Take a grid's new version; wake its entities if a field changed."""
        previous = self.data.grids.get(model.id)
        changed = None if previous is None else changed_fields(previous, model)
        if changed is not None and not changed:
            return
        self.data.grids[model.id] = model
        self._async_notify_key(model.id, changed)

    @callback
    def _async_forget_charge_point(self, evse_id: str) -> None:
        """The charge point left the account: its entities become unavailable."""
        LOGGER.debug("Charge point %s left the account", evse_id)
        self.data.charge_points.pop(evse_id, None)
        self._async_notify_key(evse_id)

    @callback
    def _async_forget_grid(self, grid_id: str) -> None:
        """No charge point of the account is on the grid any more."""
        self.data.grids.pop(grid_id, None)
        self._async_notify_key(grid_id)

    # --- devices -------------------------------------------------------------------------------

    def grid_device_identifier(self, grid_id: str) -> str:
        """Identifier of a grid's device: grid ids are only unique within one account."""
        return f"{self.customer_id}_{grid_id}"

    @staticmethod
    def grid_label(grid_id: str) -> str:
        """The grid id as people read it (a brand may strip a prefix of its own)."""
        return grid_id

    @property
    def account_device_identifier(self) -> str:
        """Identifier of the device that holds the account's own figures."""
        return f"{self.customer_id}_account"

    @callback
    def _async_remove_stale_devices(self) -> None:
        """Detach devices of charge points and grids the account no longer has."""
        device_registry = dr.async_get(self.hass)
        wanted = {
            *self._kept_charge_point_ids(),
            *(self.grid_device_identifier(grid_id) for grid_id in self.data.grids),
            self.account_device_identifier,
        }
        for device in dr.async_entries_for_config_entry(
            device_registry, self.config_entry.entry_id
        ):
            ours = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if ours and not ours & wanted:
                LOGGER.debug("Removing device %s that left the account", device.name)
                device_registry.async_update_device(
                    device.id, remove_config_entry_id=self.config_entry.entry_id
                )

    def _kept_charge_point_ids(self) -> set[str]:
        """Charge points whose devices stay (a brand adds points it cannot read just now)."""
        return set(self.data.charge_points)

    def connection_diagnostics(self) -> dict[str, object]:
        """The link's state for diagnostics (a brand adds its client's counters)."""
        return {
            "connected": self.connected,
            "link_up": self.link_up,
            "reconnects": self.reconnects,
        }

    def raw_charge_point(self, evse_id: str) -> dict[str, object] | None:  # noqa: ARG002
        """The client's models behind one charge point (for diagnostics)."""
        return None

    # --- connection state and grace period -------------------------------------------------

    @callback
    def _async_set_link_up(self) -> None:
        """The link to the backend works (again): entities are available."""
        self.link_up = True
        if self._cancel_grace is not None:
            self._cancel_grace()
            self._cancel_grace = None
        self._async_on_link_up()
        if not self.connected:
            if not self.last_update_success:
                LOGGER.info("Connection to %s restored", self.brand_name)
            self.connected = True
            self.last_update_success = True
            self._async_notify_all()

    @callback
    def _async_on_link_up(self) -> None:
        """Hook: the link came up (a brand reads what it needs after a connect)."""

    @callback
    def _async_set_link_down(self) -> None:
        """The link dropped: entities stay available for the grace period."""
        if not self.link_up:
            return
        self.link_up = False
        if self.connected and self._cancel_grace is None and not self._stopping:
            self._cancel_grace = async_call_later(
                self.hass, UNAVAILABLE_GRACE_PERIOD, self._async_grace_expired
            )

    @callback
    def _async_grace_expired(self, _now: datetime) -> None:
        self._cancel_grace = None
        if self.link_up or not self.connected:
            return
        LOGGER.info(
            "Connection to %s lost; entities are unavailable until it is back", self.brand_name
        )
        self.connected = False
        self.last_update_success = False
        self._async_notify_all()

    @callback
    def _async_cancel_grace(self) -> None:
        if self._cancel_grace is not None:
            self._cancel_grace()
            self._cancel_grace = None

    # --- commands --------------------------------------------------------------------------

    def _check_can_send(self) -> None:
        """Raise a translated error when no command can go out now."""
        if not self.link_up:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")

    def _command_error(self, err: Exception) -> HomeAssistantError:
        """The translated error for a client failure (a brand explains its own errors)."""
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="communication_error",
            translation_placeholders={"error": str(err) or type(err).__name__},
        )

    async def async_execute[T](
        self, evse_id: str | None, command: Callable[[ClientT], Awaitable[T]]
    ) -> T:
        """Run a client command; every client failure becomes a translated HomeAssistantError.

        State is never changed optimistically: the backend's confirmation (a push or the
        next poll) updates the entities.
        """
        self._check_can_send()
        LOGGER.debug("Sending a command for %s", evse_id or "the account")
        try:
            return await command(self.client)
        except self.client_errors as err:
            raise self._command_error(err) from err

    # Neutral commands: the platforms and actions call these; a brand overrides what it offers.

    async def async_set_charging(self, evse_id: str, on: bool) -> None:  # noqa: ARG002, FBT001
        """Allow (on) or stop (off) charging on the charge point."""
        raise not_supported_error()

    async def async_card_uid(self, card: str) -> str:  # noqa: ARG002 - brands with cards
        """The uid of the card an action names (uid or printed id); without cards: refused."""
        raise validation_error("unknown_card")

    async def async_start_session(
        self,
        evse_id: str,  # noqa: ARG002
        card_uid: str | None = None,  # noqa: ARG002
    ) -> None:
        """Start a charging session (with the card, where the brand knows cards)."""
        raise not_supported_error()

    async def async_stop_session(self, evse_id: str) -> None:  # noqa: ARG002
        """Stop the running session."""
        raise not_supported_error()

    async def async_set_current_limit(
        self,
        evse_id: str,  # noqa: ARG002
        value: float | None,  # noqa: ARG002
        *,
        only_if_missing: bool = False,  # noqa: ARG002
    ) -> None:
        """Set the charge point's live current ceiling in A (None: no ceiling)."""
        raise not_supported_error()

    async def async_restart(self, evse_id: str) -> None:  # noqa: ARG002
        """Restart the charge point (a soft reset where the brand has both)."""
        raise not_supported_error()

    async def async_reboot(self, evse_id: str) -> None:  # noqa: ARG002
        """Reboot the charge point (a hard restart)."""
        raise not_supported_error()

    async def async_unlock_connector(self, evse_id: str) -> None:  # noqa: ARG002
        """Release the cable from the charge point's socket."""
        raise not_supported_error()

    async def async_set_blocked(
        self,
        evse_id: str,  # noqa: ARG002
        blocked: bool,  # noqa: ARG002, FBT001
    ) -> None:
        """Block (no session can start) or unblock the charge point."""
        raise not_supported_error()

    async def async_set_plug_and_charge(
        self,
        evse_id: str,  # noqa: ARG002
        on: bool,  # noqa: ARG002, FBT001
    ) -> None:
        """Start sessions on plug-in without a card (on), or not."""
        raise not_supported_error()

    async def async_set_linked_charge_cards_only(
        self,
        evse_id: str,  # noqa: ARG002
        on: bool,  # noqa: ARG002, FBT001
    ) -> None:
        """Accept only the account's own charge cards (on), or any card."""
        raise not_supported_error()

    async def async_boost(self, evse_id: str) -> None:  # noqa: ARG002
        """Override the smart-charging profile that holds the running session back."""
        raise not_supported_error()

    def boost_possible(self, charge_point: ChargePointData) -> bool:  # noqa: ARG002
        """Whether a boost would change anything now."""
        return False

    # The current limit as the number shows it.

    def current_limit_known(self, evse_id: str) -> bool:  # noqa: ARG002
        """Whether the brand has read the charge point's current limit since connecting."""
        return True

    def current_limit(self, evse_id: str) -> float | None:  # noqa: ARG002
        """The ceiling in A (None: none); before it is known, the one the entity keeps."""
        return None

    @callback
    def async_keep_current_limit(self, evse_id: str, value: float) -> None:
        """A restored limit: the brand re-creates it if the device lost it."""

    # --- charge point events (device triggers, event entity) -------------------------------

    @callback
    def async_add_point_event_listener(
        self, evse_id: str, event_callback: PointEventCallback
    ) -> CALLBACK_TYPE:
        """Call `event_callback(type, data)` for every event of the charge point."""
        self._point_event_listeners.setdefault(evse_id, []).append(event_callback)

        @callback
        def _remove() -> None:
            with contextlib.suppress(ValueError, KeyError):
                self._point_event_listeners[evse_id].remove(event_callback)

        return _remove

    @callback
    def _async_detect_transitions(
        self,
        evse_id: str,
        previous: ChargePointData | None,
        model: ChargePointData,
        *,
        has_status: bool,
        session_ended: bool = False,
    ) -> None:
        """Turn changes of the charge point's data into events.

        Nothing fires before the point's first status was seen: what the first status
        says is the starting point, not a change.
        """
        seen = evse_id in self._status_seen
        if has_status:
            self._status_seen.add(evse_id)
        if previous is None or not seen:
            return
        events: list[tuple[str, dict[str, Any]]] = []
        if previous.activity is not None and model.activity is not None:
            if previous.online != model.online:
                events.append((EVENT_ONLINE if model.online else EVENT_OFFLINE, {}))
            if previous.charging != model.charging:
                events.append(
                    (EVENT_CHARGING_STARTED if model.charging else EVENT_CHARGING_STOPPED, {})
                )
        if (
            previous.vehicle_state is not None
            and model.vehicle_state is not None
            and previous.vehicle_connected != model.vehicle_connected
        ):
            events.append(
                (
                    EVENT_VEHICLE_CONNECTED
                    if model.vehicle_connected
                    else EVENT_VEHICLE_DISCONNECTED,
                    {},
                )
            )
        if (
            session_ended
            and model.shown_session_start is not None
            and model.shown_session_stop is not None
        ):
            events.append((EVENT_SESSION_ENDED, self._session_summary(evse_id, model)))
        for kind, data in events:
            self._async_fire_point_event(evse_id, kind, data)

    def _session_card(self, evse_id: str) -> tuple[str | None, str | None]:  # noqa: ARG002
        """Name and printed id of the card of the session that just ended (never its uid)."""
        return None, None

    def _session_summary(self, evse_id: str, model: ChargePointData) -> dict[str, Any]:
        """What an ended session brought; the card only when known."""
        start, stop = model.shown_session_start, model.shown_session_stop
        assert start is not None  # noqa: S101 - checked by the caller
        assert stop is not None  # noqa: S101
        name, card_id = self._session_card(evse_id)
        return {
            "energy": model.session_energy,
            "cost": model.session_cost,
            "currency": model.currency,
            "started": start.isoformat(),
            "stopped": stop.isoformat(),
            "duration": round((stop - start).total_seconds()),
            "card": name,
            "card_id": card_id,
        }

    @callback
    def _async_fire_point_event(self, evse_id: str, kind: str, data: dict[str, Any]) -> None:
        LOGGER.debug("Charge point %s: %s", evse_id, kind)
        for event_callback in list(self._point_event_listeners.get(evse_id, ())):
            event_callback(kind, data)
        device = dr.async_get(self.hass).async_get_device(identifiers={(DOMAIN, evse_id)})
        if device is not None:
            self.hass.bus.async_fire(
                EVENT_CHARGE_POINT, {"device_id": device.id, "type": kind, **data}
            )
