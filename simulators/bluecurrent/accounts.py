"""The simulated accounts: their charge points, grids, schedules and auth tokens.

One auth token per account, stable across validations (reconnects reuse it, §1.4);
`revoke` removes it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .physics import SimChargePoint, SimGrid
    from .scenario import AccountSpec, CardSpec
    from .schedules import OverrideSchedule


@dataclass(slots=True)
class SimAccount:
    """One account of the scenario and its mutable state."""

    spec: AccountSpec
    points: dict[str, SimChargePoint] = field(default_factory=dict)
    grids: dict[str, SimGrid] = field(default_factory=dict)
    schedules: dict[str, OverrideSchedule] = field(default_factory=dict)
    auth_token: str | None = None
    revoked: bool = False

    def card(self, uid: str) -> CardSpec | None:
        """The account's charge card `uid`, if it has one."""
        return next((c for c in self.spec.cards if c.uid == uid), None)

    def points_on(self, grid: SimGrid) -> list[SimChargePoint]:
        """The charge points behind `grid`."""
        return [p for p in self.points.values() if p.grid_id == grid.grid_id]

    def knows_login(self, username: str) -> bool:
        """Whether `username` is this account's e-mail or login name (any case)."""
        return username.lower() in (self.spec.email.lower(), self.spec.login_name.lower())


class Accounts:
    """Every account of one simulator, found by API token, auth token or charge point."""

    def __init__(self) -> None:
        """No account yet."""
        self._accounts: list[SimAccount] = []
        self._by_auth: dict[str, SimAccount] = {}

    def __iter__(self) -> Iterator[SimAccount]:
        """The accounts in scenario order."""
        return iter(self._accounts)

    def add(self, account: SimAccount) -> None:
        """Add an account."""
        self._accounts.append(account)

    def for_api_token(self, api_token: str) -> SimAccount | None:
        """The account of an API token (revoked or not)."""
        return next((a for a in self._accounts if a.spec.api_token == api_token), None)

    def for_auth_header(self, header: object) -> SimAccount | None:
        """The account of an `Authorization: Token <auth token>` value."""
        if not isinstance(header, str) or not header.startswith("Token "):
            return None
        return self._by_auth.get(header.removeprefix("Token "))

    def for_login(self, username: str) -> SimAccount | None:
        """The unrevoked account whose e-mail or login name is `username`."""
        return next((a for a in self._accounts if not a.revoked and a.knows_login(username)), None)

    def owner(self, point: SimChargePoint) -> SimAccount | None:
        """The account holding this very charge point object."""
        return next((a for a in self._accounts if a.points.get(point.evse_id) is point), None)

    def with_point(self, evse_id: str) -> SimAccount | None:
        """The account holding a charge point of that evse id."""
        return next((a for a in self._accounts if evse_id in a.points), None)

    def issue_auth_token(self, account: SimAccount) -> str:
        """The account's auth token, made on first use."""
        if account.auth_token is None:
            account.auth_token = secrets.token_hex(16)
            self._by_auth[account.auth_token] = account
        return account.auth_token

    def revoke(self, account: SimAccount) -> None:
        """Invalidate the account's API token and its auth token."""
        account.revoked = True
        if account.auth_token is not None:
            self._by_auth.pop(account.auth_token, None)
        account.auth_token = None
