"""The benchmark's simulator scenario: one account per measured size, built with Scenario.generate.

Every account has its own API token, customer id and evse-id prefix, so one simulator serves the
warm-up entry and every measured entry of a worker without shared ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulators.bluecurrent import Scenario

if TYPE_CHECKING:
    from pathlib import Path

    from simulators.bluecurrent.scenario import AccountSpec


@dataclass(frozen=True, slots=True)
class BenchAccount:
    """One account of the benchmark scenario."""

    key: str
    api_token: str
    customer_id: str
    prefix: str
    size: int

    def evse_ids(self) -> list[str]:
        """The account's evse ids, in scenario order."""
        return [f"{self.prefix}{100000 + index}" for index in range(self.size)]


def bench_accounts(sizes: tuple[int, ...]) -> dict[str, BenchAccount]:
    """The warm-up account plus one account per size ("n1", "n100", ...)."""
    accounts = {"warm": BenchAccount("warm", "bench-warm", "3000", "BCW", 1)}
    for number, size in enumerate(sizes):
        key = f"n{size}"
        accounts[key] = BenchAccount(
            key, f"bench-{size}", str(3100 + number), f"BC{chr(ord('A') + number)}", size
        )
    return accounts


def write_scenario(path: Path, accounts: dict[str, BenchAccount], *, seed: int = 7) -> None:
    """Generate every account (half of the points charging) and write one scenario file."""
    merged: list[AccountSpec] = []
    for number, account in enumerate(accounts.values()):
        generated = Scenario.generate(
            account.size,
            seed=seed + number,
            api_token=account.api_token,
            customer_id=account.customer_id,
            email=f"{account.key}@example.com",
        )
        spec = generated.accounts[0]
        renames = dict(
            zip((p.evse_id for p in spec.charge_points), account.evse_ids(), strict=True)
        )
        for index, point in enumerate(spec.charge_points):
            point.evse_id = renames[point.evse_id]
            point.grid_id = f"GRID-{point.evse_id}"
            point.name = f"{account.key} point {index + 1}"
        for grid in spec.grids:
            grid.id = f"GRID-{renames[grid.id.removeprefix('GRID-')]}"
        merged.extend(generated.accounts)
    scenario = Scenario(accounts=merged, seed=seed)
    path.write_text(json.dumps(scenario.to_dict()), encoding="utf-8")
