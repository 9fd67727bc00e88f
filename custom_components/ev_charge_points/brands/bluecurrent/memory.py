"""What a Blue Current account remembers between restarts, so that a restart does not read it.

Every read costs a request of the account's daily budget (protocol §5), and setup is where
they add up. Kept in `.storage` (removed with the entry):
- grids: which grid each charge point is on and the grid's installed and reserved maximum,
  read once per grid (one GRID_STATUS) and again after `GRID_REREAD`. The grid's load is
  not kept: GRID_CURRENT pushes bring it (the coordinator asks once if no push comes);
- the charge cards, read again after `CARDS_REREAD` (the list action and a card an action
  names but the list lacks read them at once);
- the account figures the app API reads (CO2, trees, the subscription), once a day;
- the charge points whose app list lacks the capacity tariff setting: their switch is not
  created at a restart only to be removed again when the list is read.
Stored card entries and grid statuses are written in the server's own shape and read back
with the client's parser: one reading of the wire format.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.util import dt as dt_util

from custom_components.ev_charge_points.api.bluecurrent import (
    BlueCurrentError,
    ChargeCards,
    GridStatus,
)
from custom_components.ev_charge_points.const import LOGGER
from custom_components.ev_charge_points.lifetime_meter import CLOCK_SKEW
from custom_components.ev_charge_points.stores import entry_store

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant

    from custom_components.ev_charge_points.api.bluecurrent import ChargeCard

MEMORY_STORE: Final = "bluecurrent"
# An installer may change a grid's maximum; it is read again after a week.
GRID_REREAD: Final = timedelta(days=7)
CARDS_REREAD: Final = timedelta(days=1)
FIGURES_REREAD: Final = timedelta(days=1)
LONG_AGO: Final = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """The app API's account figures: CO2 saved (kg), trees planted, subscription codes."""

    co2: float | None
    trees: int | None
    subscriptions: tuple[str, ...]
    read_at: datetime

    @classmethod
    def read(
        cls, co2: object, trees: object, subscriptions: Iterable[object], read_at: datetime
    ) -> AccountFigures:
        """The figures from what the server sent or the store kept (not numbers: None)."""
        tree_count = _number(trees)
        return cls(
            co2=_number(co2),
            trees=None if tree_count is None or not tree_count.is_integer() else int(tree_count),
            subscriptions=tuple(sorted({str(code) for code in subscriptions if code})),
            read_at=read_at,
        )


def _card_entry(card: ChargeCard) -> dict[str, Any]:
    """A card as CHARGE_CARDS sends it (dates as ISO text)."""
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in asdict(card).items()
    }


def _time(value: object) -> datetime | None:
    """A stored read time (None if unreadable); one in the future (a wrong clock) is long ago."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt_util.as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None
    return LONG_AGO if moment > dt_util.utcnow() + CLOCK_SKEW else moment


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


class AccountMemory:
    """One account's remembered grids, cards and figures (see the module docstring)."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read until `async_load`."""
        self._store = entry_store(hass, MEMORY_STORE, entry_id)
        self._loaded = False
        self._changed = False
        self.grid_of: dict[str, str] = {}
        self._grids: dict[str, tuple[GridStatus, datetime]] = {}
        self._cards: tuple[ChargeCards, datetime] | None = None
        self.figures: AccountFigures | None = None
        self.no_capacity_tariff: frozenset[str] = frozenset()

    async def async_load(self) -> None:
        """Read the store once; anything unreadable in it is simply read from the server."""
        if self._loaded:
            return
        self._loaded = True
        stored = await self._store.async_load() or {}
        try:
            self._restore(stored)
        except (AttributeError, KeyError, TypeError, ValueError, BlueCurrentError) as err:
            LOGGER.debug("Ignoring unreadable remembered account data: %s", type(err).__name__)
            self.grid_of, self._grids, self._cards, self.figures = {}, {}, None, None
            self.no_capacity_tariff = frozenset()

    def _restore(self, stored: dict[str, Any]) -> None:
        for grid_id, item in (stored.get("grids") or {}).items():
            read_at = _time(item.get("read_at"))
            status = GridStatus.from_dict({"object": "GRID_STATUS", "data": item["status"]})
            if read_at is not None and status.grid_id == grid_id:
                self._grids[grid_id] = (status, read_at)
        self.grid_of = {
            str(evse_id): str(grid_id)
            for evse_id, grid_id in (stored.get("grid_of") or {}).items()
            if grid_id in self._grids
        }
        if (cards := stored.get("cards")) and (read_at := _time(cards.get("read_at"))):
            frame = {"object": "CHARGE_CARDS", **cards["frame"]}
            self._cards = (ChargeCards.from_dict(frame), read_at)
        self.no_capacity_tariff = frozenset(
            str(evse_id) for evse_id in stored.get("no_capacity_tariff") or ()
        )
        if (figures := stored.get("figures")) and (read_at := _time(figures.get("read_at"))):
            kept = AccountFigures.read(
                figures.get("co2"),
                figures.get("trees"),
                figures.get("subscriptions") or (),
                read_at,
            )
            if kept.co2 is not None and kept.trees is not None:
                self.figures = kept

    async def async_save(self) -> None:
        """Write what is remembered now, if anything changed since the last write."""
        if not self._changed:
            return
        self._changed = False
        cards = None
        if self._cards is not None:
            known, read_at = self._cards
            default = known.default_card
            cards = {
                "read_at": read_at.isoformat(),
                "frame": {
                    "cards": [_card_entry(card) for card in known.cards],
                    "default_card": None if default is None else asdict(default),
                },
            }
        figures = None
        if self.figures is not None:
            figures = {**asdict(self.figures), "read_at": self.figures.read_at.isoformat()}
        await self._store.async_save(
            {
                "grids": {
                    grid_id: {
                        "read_at": read_at.isoformat(),
                        "status": {
                            "id": grid_id,
                            "grid_max_install": status.max_installed,
                            "grid_max_reserved": status.max_reserved,
                        },
                    }
                    for grid_id, (status, read_at) in self._grids.items()
                },
                "grid_of": dict(self.grid_of),
                "cards": cards,
                "figures": figures,
                "no_capacity_tariff": sorted(self.no_capacity_tariff),
            }
        )

    def diagnostics(self) -> dict[str, object]:
        """What is remembered, and when it was read (no card ids or names)."""
        grid_reads = [read_at for _, read_at in self._grids.values()]
        return {
            "grids": len(self._grids),
            "charge_points_with_grid": len(self.grid_of),
            "oldest_grid_read": min(grid_reads, default=None),
            "cards": None if self._cards is None else len(self._cards[0].cards),
            "cards_read": None if self._cards is None else self._cards[1],
            "figures_read": None if self.figures is None else self.figures.read_at,
            "no_capacity_tariff": sorted(self.no_capacity_tariff),
        }

    # --- grids ---------------------------------------------------------------------------------

    def remembered_grid(self, grid_id: str) -> GridStatus | None:
        """A remembered grid, without its load (the next push brings it)."""
        known = self._grids.get(grid_id)
        return None if known is None else known[0]

    def grid_is_current(self, grid_id: str, now: datetime) -> bool:
        """Whether the grid's maximum was read within `GRID_REREAD`."""
        return (known := self._grids.get(grid_id)) is not None and now - known[1] < GRID_REREAD

    def remember_grid(self, evse_id: str | None, grid_id: str, status: GridStatus) -> None:
        """A GRID_STATUS was read (for `evse_id`, when it was asked for a charge point)."""
        self._grids[grid_id] = (
            GridStatus(
                grid_id=grid_id,
                max_installed=status.max_installed,
                max_reserved=status.max_reserved,
            ),
            dt_util.utcnow(),
        )
        if evse_id is not None:
            self.grid_of[evse_id] = grid_id
        self._changed = True

    def forget_charge_point(self, evse_id: str) -> None:
        """The point left the account; a grid no point is on any more is forgotten too."""
        grid_id = self.grid_of.pop(evse_id, None)
        if grid_id is not None and grid_id not in self.grid_of.values():
            self._grids.pop(grid_id, None)
        self._changed = self._changed or grid_id is not None

    # --- cards and figures -----------------------------------------------------------------

    def current_cards(self, now: datetime) -> ChargeCards | None:
        """The cards, if they were read within `CARDS_REREAD`."""
        if self._cards is None or now - self._cards[1] >= CARDS_REREAD:
            return None
        return self._cards[0]

    def remember_cards(self, cards: ChargeCards) -> None:
        """The card list was read."""
        self._cards = (cards, dt_util.utcnow())
        self._changed = True

    def remember_figures(self, figures: AccountFigures) -> None:
        """The account figures were read."""
        self.figures = figures
        self._changed = True

    def remember_no_capacity_tariff(self, evse_ids: frozenset[str]) -> None:
        """The app list was read: these charge points lack the capacity tariff setting."""
        if evse_ids != self.no_capacity_tariff:
            self.no_capacity_tariff = evse_ids
            self._changed = True

    def current_figures(self, now: datetime) -> AccountFigures | None:
        """The account figures, if they were read within `FIGURES_REREAD`."""
        if self.figures is None or now - self.figures.read_at >= FIGURES_REREAD:
            return None
        return self.figures
