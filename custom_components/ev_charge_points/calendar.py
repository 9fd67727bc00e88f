"""A calendar of each charge point's charging sessions (past ones from the account's history).

Setting up this platform also starts the entry's history import (history.py), so the ledger the
calendar reads is filled at setup and after every session end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .entity import EVChargePointEntity, EVEntityDescription, async_setup_charge_point_entities
from .model import Capability

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import EVChargePointsCoordinator
    from .history import ChargingSession, HistoryManager
    from .runtime import EVChargePointsConfigEntry

PARALLEL_UPDATES = 0

SESSIONS = EVEntityDescription(
    key="charging_sessions",
    translation_key="charging_sessions",
    # The running session (`_running_start`); past ones come from the history manager.
    reads=("activity", "session_start", "session_stop"),
)
# A running session has no end yet: it is shown as lasting until the next quarter hour.
RUNNING_STEP = timedelta(minutes=15)


# The event texts are translations (selector "calendar_event", the one section of strings.json
# that holds free texts with placeholders) in Home Assistant's language.
TEXT_KEYS = ("summary", "summary_cost", "energy", "cost", "card", "charging", "money")
_TEXTS_PREFIX = f"component.{DOMAIN}.selector.calendar_event.options."
# Languages that write 12,34 (the rest write 12.34); no grouping: a session stays below 1000.
_DECIMAL_COMMA = frozenset(
    [
        "bg",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "es",
        "et",
        "eu",
        "fi",
        "fr",
        "gl",
        "hr",
        "hu",
        "id",
        "is",
        "it",
        "lt",
        "lv",
        "nb",
        "nl",
        "nn",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sr",
        "sv",
        "tr",
        "uk",
        "vi",
    ]
)
_CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


@dataclass(frozen=True, slots=True)
class CalendarTexts:
    """The event texts in one language, and how that language writes numbers."""

    language: str
    texts: dict[str, str]

    def number(self, value: float) -> str:
        """`value` with two decimals, with the language's decimal separator."""
        text = f"{value:.2f}"
        return text.replace(".", ",") if self.language.split("-")[0] in _DECIMAL_COMMA else text

    def money(self, value: float, currency: str | None) -> str:
        """An amount with its currency symbol, placed as the language places it."""
        symbol = _CURRENCY_SYMBOLS.get(currency or "", currency or "")
        if not symbol:
            return self.number(value)
        return self.texts["money"].format(amount=self.number(value), currency=symbol)

    def text(self, key: str, **placeholders: str) -> str:
        """The translated text `key` with its placeholders filled in."""
        return self.texts[key].format(**placeholders)


async def async_calendar_texts(hass: HomeAssistant) -> CalendarTexts:
    """The event texts in Home Assistant's language (English where a text is missing)."""
    language = hass.config.language
    translations = await async_get_translations(hass, language, "selector", {DOMAIN})
    if any(_TEXTS_PREFIX + key not in translations for key in TEXT_KEYS):
        translations = await async_get_translations(hass, "en", "selector", {DOMAIN})
    return CalendarTexts(language, {key: translations[_TEXTS_PREFIX + key] for key in TEXT_KEYS})


def session_event(
    session: ChargingSession, no_card_id: str | None, texts: CalendarTexts, charge_point: str
) -> CalendarEvent:
    """A completed session as a calendar event (`no_card_id`: the source's "no card")."""
    energy = texts.number(session.energy)
    if session.cost is not None and session.currency:
        cost = texts.money(session.cost, session.currency)
        summary = texts.text("summary_cost", charge_point=charge_point, energy=energy, cost=cost)
    else:
        summary = texts.text("summary", charge_point=charge_point, energy=energy)
    details = [texts.text("energy", energy=energy)]
    if session.cost is not None:
        details.append(texts.text("cost", cost=texts.money(session.cost, session.currency)))
    if session.card_name or (session.card_id and session.card_id != no_card_id):
        details.append(texts.text("card", card=session.card_name or session.card_id or ""))
    end = session.end if session.end > session.start else session.start + timedelta(seconds=1)
    return CalendarEvent(
        start=dt_util.as_local(session.start),
        end=dt_util.as_local(end),
        summary=summary,
        # A blank line between the lines: the calendar dialog renders the description as
        # Markdown, which joins lines separated by a single line break.
        description="\n\n".join(details),
        uid=session.id,
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: EVChargePointsConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a sessions calendar per charge point."""
    coordinator = entry.runtime_data.coordinator
    manager = entry.runtime_data.history
    if manager is None:
        return  # the brand has no session source

    def _create(evse_id: str) -> Iterable[Entity]:
        if coordinator.supports(evse_id, Capability.SESSION_HISTORY):
            yield EVSessionCalendar(coordinator, manager, evse_id)

    async_setup_charge_point_entities(hass, entry, _create, async_add_entities)


class EVSessionCalendar(EVChargePointEntity, CalendarEntity):
    """Completed sessions of one charge point; the running one is the current event."""

    def __init__(
        self, coordinator: EVChargePointsCoordinator[Any], manager: HistoryManager, evse_id: str
    ) -> None:
        """Set up the calendar."""
        super().__init__(coordinator, evse_id, SESSIONS)
        self._manager = manager
        self._texts: CalendarTexts | None = None

    async def async_added_to_hass(self) -> None:
        """Load the texts; also follow the history imports."""
        self._texts = await async_calendar_texts(self.hass)
        await super().async_added_to_hass()
        self.async_on_remove(self._manager.async_add_listener(self._handle_update))

    @property
    def _charge_point_name(self) -> str:
        point = self.charge_point
        return point.name if point is not None and point.name else self._evse_id

    def _running_start(self) -> datetime | None:
        point = self.charge_point
        if point is None or not point.charging or point.session_start is None:
            return None
        if point.session_stop is not None and point.session_stop >= point.session_start:
            return None
        return point.session_start

    @property
    def event(self) -> CalendarEvent | None:
        """The running session, if any (completed ones are in the past)."""
        if (start := self._running_start()) is None:
            return None
        now = dt_util.utcnow()
        steps = (now - start) // RUNNING_STEP + 1
        name = self._charge_point_name
        return CalendarEvent(
            start=dt_util.as_local(start),
            end=dt_util.as_local(start + steps * RUNNING_STEP),
            summary=self._texts.text("charging", charge_point=name) if self._texts else name,
        )

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self._running_start())

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Sessions overlapping the range, oldest first (the running one included)."""
        del hass
        await self._manager.async_ensure_synced()
        # Read again: the language may have changed since the last request.
        self._texts = texts = await async_calendar_texts(self.hass)
        start, end = dt_util.as_utc(start_date), dt_util.as_utc(end_date)
        name = self._charge_point_name
        events = [
            session_event(session, self._manager.source.no_card_id, texts, name)
            for session in self._manager.sessions(self._evse_id)
            if session.overlaps(start, end)
        ]
        if (running := self.event) is not None and running.start < end_date:
            events.append(running)
        return events
