"""Blue Current's selects: smart-charging profile, session card, plug-and-charge card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from custom_components.ev_charge_points.api.bluecurrent import NO_CARD
from custom_components.ev_charge_points.entity import EVChargePointEntity, EVEntityDescription

from .const import NO_CARD_OPTION
from .controls import SmartChargingProfile, smart_charging_profile

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.helpers.entity import Entity

    from custom_components.ev_charge_points.api.bluecurrent import ChargeCard

    from .coordinator import BlueCurrentCoordinator


@dataclass(frozen=True, kw_only=True)
class EVSelectEntityDescription(SelectEntityDescription, EVEntityDescription):
    """A charge point select and the model fields its state reads."""


PROFILE_DESCRIPTION = EVSelectEntityDescription(
    key="smart_charging_profile",
    translation_key="smart_charging_profile",
    options=[profile.value for profile in SmartChargingProfile],
    reads=("activity", "delayed_charging", "price_based_charging"),
)
CHARGE_CARD_DESCRIPTION = EVSelectEntityDescription(
    key="charge_card",
    translation_key="charge_card",
    entity_category=EntityCategory.CONFIG,
    # Card names come from the account; only "no card" has a translation.
    options=[NO_CARD_OPTION],
    # Reads only the account's cards and the local choice (the coordinator wakes every
    # entity when the cards change), no charge point field.
    reads=(),
)
PLUG_AND_CHARGE_CARD_DESCRIPTION = EVSelectEntityDescription(
    key="plug_and_charge_card",
    translation_key="plug_and_charge_card",
    entity_category=EntityCategory.CONFIG,
    entity_registry_enabled_default=False,
    options=[NO_CARD_OPTION],
    # The card comes from the charge point list, not from a model field: any change wakes it.
    reads=None,
)
SELECTS: tuple[EVSelectEntityDescription, ...] = (
    PROFILE_DESCRIPTION,
    CHARGE_CARD_DESCRIPTION,
    PLUG_AND_CHARGE_CARD_DESCRIPTION,
)


def charge_point_selects(coordinator: BlueCurrentCoordinator, evse_id: str) -> Iterable[Entity]:
    """The selects of one charge point."""
    return [
        SmartChargingProfileSelect(coordinator, evse_id, PROFILE_DESCRIPTION),
        ChargeCardSelect(coordinator, evse_id, CHARGE_CARD_DESCRIPTION),
        PlugAndChargeCardSelect(coordinator, evse_id, PLUG_AND_CHARGE_CARD_DESCRIPTION),
    ]


class _BlueCurrentEntity(EVChargePointEntity):
    """A charge point entity that uses what only Blue Current's coordinator has."""

    coordinator: BlueCurrentCoordinator


class SmartChargingProfileSelect(_BlueCurrentEntity, SelectEntity):
    """Off, delayed or price based; shows the profile the server reports after a change."""

    _requires_online = True

    @property
    def current_option(self) -> str | None:
        """Return the active profile."""
        if (charge_point := self.charge_point) is None:
            return None
        profile = smart_charging_profile(charge_point)
        return profile.value if profile is not None else None

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.current_option)

    async def async_select_option(self, option: str) -> None:
        """Switch profile: the new one on, then the old one off (off: the active one off)."""
        await self.coordinator.async_set_smart_charging(self._evse_id, SmartChargingProfile(option))


@dataclass(slots=True)
class _ChosenCard(ExtraStoredData):
    """The chosen card's uid, kept across restarts (not in the state: uids stay private)."""

    card_uid: str

    def as_dict(self) -> dict[str, Any]:
        """Return a dict representation."""
        return {"card_uid": self.card_uid}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        """Read the stored data; None if it is not ours."""
        uid = data.get("card_uid")
        return cls(uid) if isinstance(uid, str) and uid else None


def card_label(card: ChargeCard) -> str:
    """What the select shows for a card: its name and printed id."""
    if card.name and card.id:
        return f"{card.name} ({card.id})"
    return card.name or card.id or "?"


class ChargeCardSelect(_BlueCurrentEntity, SelectEntity, RestoreEntity):
    """The card the start-session button and action use when they are given none.

    A local choice (nothing is sent to the server); it survives restarts. A card that
    becomes invalid or leaves the account falls back to "no card".
    """

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        evse_id: str,
        description: EVSelectEntityDescription,
    ) -> None:
        """Set up the select."""
        super().__init__(coordinator, evse_id, description)

    @property
    def options(self) -> list[str]:
        """Return "no card" and every valid card of the account."""
        return [NO_CARD_OPTION, *(card_label(card) for card in self.coordinator.valid_cards())]

    @property
    def current_option(self) -> str | None:
        """Return the chosen card (unknown until the cards are read)."""
        uid = self.coordinator.chosen_card(self._evse_id)
        if uid == NO_CARD:
            return NO_CARD_OPTION
        if (card := self.coordinator.find_card(uid)) is None:
            return None
        return card_label(card)

    @property
    def extra_restore_state_data(self) -> _ChosenCard:
        """Return the uid to restore."""
        return _ChosenCard(self.coordinator.chosen_card(self._evse_id))

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.current_option, tuple(self.options))

    async def async_added_to_hass(self) -> None:
        """Restore the chosen card, then subscribe."""
        if (data := await self.async_get_last_extra_data()) is not None and (
            chosen := _ChosenCard.from_dict(data.as_dict())
        ) is not None:
            self.coordinator.async_choose_card(self._evse_id, chosen.card_uid)
        self._drop_lost_card()
        await super().async_added_to_hass()

    @callback
    def _handle_update(self) -> None:
        self._drop_lost_card()
        super()._handle_update()

    @callback
    def _drop_lost_card(self) -> None:
        """Once the cards are known, a chosen card that is gone falls back to no card."""
        uid = self.coordinator.chosen_card(self._evse_id)
        if (
            uid != NO_CARD
            and self.coordinator.charge_cards is not None
            and self.coordinator.find_card(uid) is None
        ):
            self.coordinator.async_choose_card(self._evse_id, NO_CARD)

    async def async_select_option(self, option: str) -> None:
        """Choose a card; nothing is sent until a session is started."""
        if option == NO_CARD_OPTION:
            uid = NO_CARD
        else:
            uid = next(
                card.uid for card in self.coordinator.valid_cards() if card_label(card) == option
            )
        self.coordinator.async_choose_card(self._evse_id, uid)
        self._last_visible = self._visible_state()
        self.async_write_ha_state()


class PlugAndChargeCardSelect(_BlueCurrentEntity, SelectEntity):
    """The card a plug-and-charge session is booked on (SET_PLUG_AND_CHARGE_CHARGE_CARD).

    The state is the card the server's charge point list names after the change.
    """

    _requires_online = True

    @property
    def options(self) -> list[str]:
        """Return "no card" and every valid card of the account."""
        return [NO_CARD_OPTION, *(card_label(card) for card in self.coordinator.valid_cards())]

    @property
    def current_option(self) -> str | None:
        """Return the card the server reports (unknown for a card not in the account)."""
        uid = self.coordinator.plug_and_charge_card(self._evse_id)
        if uid is None:
            return None
        if uid == NO_CARD:
            return NO_CARD_OPTION
        card = self.coordinator.find_card(uid)
        return card_label(card) if card is not None else None

    def _visible_state(self) -> tuple[object, ...]:
        return (self.available, self.current_option, tuple(self.options))

    async def async_select_option(self, option: str) -> None:
        """Send the card; the select follows the server's list read afterwards."""
        uid = NO_CARD
        if option != NO_CARD_OPTION:
            uid = next(
                card.uid for card in self.coordinator.valid_cards() if card_label(card) == option
            )
        await self.coordinator.async_set_plug_and_charge_card(self._evse_id, uid)
