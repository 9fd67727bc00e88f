"""Blue Current's charge cards: the account's cards, the chosen card, the plug-and-charge card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import callback

from custom_components.ev_charge_points.api.bluecurrent import HOME_USE_CARD, NO_CARD
from custom_components.ev_charge_points.errors import validation_error

from .const import NO_CARD_OPTION
from .mixin_host import CoordinatorMixinHost

if TYPE_CHECKING:
    from custom_components.ev_charge_points.api.bluecurrent.models import (
        ChargeCard,
        ChargeCards,
    )


class ChargeCardsMixin(CoordinatorMixinHost):
    """The account's cards (None until read after a connect) and each point's chosen card."""

    charge_cards: ChargeCards | None
    _chosen_cards: dict[str, str]

    def _init_cards(self) -> None:
        self.charge_cards = None
        self._chosen_cards = {}

    def valid_cards(self) -> list[ChargeCard]:
        """The account's cards that can start a session."""
        if self.charge_cards is None:
            return []
        return [card for card in self.charge_cards.cards if card.valid is not False]

    def find_card(self, value: str) -> ChargeCard | None:
        """A valid card by uid or by its printed id (case-insensitive)."""
        wanted = value.strip().casefold()
        if not wanted:
            return None  # a card without a printed id has "" there: blank names no card
        for card in self.valid_cards():
            if wanted in (card.uid.casefold(), (card.id or "").casefold()):
                return card
        return None

    def chosen_card(self, evse_id: str) -> str:
        """The card uid the start-session button and action use (NO_CARD: none)."""
        return self._chosen_cards.get(evse_id, NO_CARD)

    @callback
    def async_choose_card(self, evse_id: str, card_uid: str) -> None:
        """Remember the card chosen in the charge card select."""
        self._chosen_cards[evse_id] = card_uid

    async def async_list_charge_cards(self) -> ChargeCards:
        """Read the account's charge cards from the server (and keep them, also on disk)."""
        cards = await self.async_execute(None, lambda client: client.get_charge_cards())
        self.charge_cards = cards
        self.memory.remember_cards(cards)
        await self.memory.async_save()
        self._async_notify_points()
        return cards

    def plug_and_charge_card(self, evse_id: str) -> str | None:
        """Uid of the card plug and charge starts with (NO_CARD: none; None: unknown)."""
        state = self._points.get(evse_id)
        if state is None or (ref := state.info.plug_and_charge_card) is None:
            return None
        # The server shows "no card" as its own placeholder card (§6.3).
        return NO_CARD if ref.uid in (None, NO_CARD, HOME_USE_CARD) else ref.uid

    async def async_set_plug_and_charge_card(self, evse_id: str, card_uid: str) -> None:
        """Choose the plug-and-charge card, then read the charge point list back."""
        # An app-only command: sent through the app API; the charge point list read back
        # over the websocket confirms it.
        await self.app_api.async_command(
            lambda app: app.set_plug_and_charge_charge_card(
                evse_id, None if card_uid == NO_CARD else card_uid
            )
        )
        await self.async_execute(evse_id, lambda client: client.get_charge_points())
        # The card is not part of the model: wake the point's entities explicitly.
        self._async_notify_key(evse_id)

    async def async_card_uid(self, card: str) -> str:
        """The uid of a card named by uid or printed id; "no_card" (or NO_CARD) means none.

        A blank value (also from a template) is refused: it names no card.
        """
        if not card.strip():
            raise validation_error("unknown_card")
        if card.strip().casefold() in (NO_CARD_OPTION, NO_CARD.casefold()):
            return NO_CARD
        if self.charge_cards is None:
            await self.async_list_charge_cards()
        elif self.find_card(card) is None:
            await self.async_list_charge_cards()  # the cards are read once: a new one?
        if (found := self.find_card(card)) is None:
            # The value is not echoed: it may be a card uid, which stays out of logs.
            raise validation_error("unknown_card")
        return found.uid
