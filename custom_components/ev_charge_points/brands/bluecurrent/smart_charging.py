"""Blue Current's smart charging: switching profiles and boosting a held-back session (§6.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .controls import SmartChargingProfile, boost_commands, profile_setter
from .mixin_host import CoordinatorMixinHost

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from custom_components.ev_charge_points.api.bluecurrent import BlueCurrentClient
    from custom_components.ev_charge_points.model import ChargePointData


class SmartChargingMixin(CoordinatorMixinHost):
    """Profile changes and boost, each read back from the server's charge point list."""

    async def async_set_smart_charging(
        self,
        evse_id: str,
        profile: SmartChargingProfile,
        then: Callable[[BlueCurrentClient], Awaitable[None]] | None = None,
    ) -> None:
        """Make `profile` the active one (§6.1: the new one on first, then the old one off).

        `then` sends the profile's settings afterwards. The charge point list is read back,
        so the select shows what the server now reports, not what was asked.
        """
        charge_point = self.data.charge_points.get(evse_id)
        flags = {
            SmartChargingProfile.DELAYED: charge_point.delayed_charging if charge_point else None,
            SmartChargingProfile.PRICE_BASED: (
                charge_point.price_based_charging if charge_point else None
            ),
        }

        async def run(client: BlueCurrentClient) -> None:
            sent = False
            if profile is not SmartChargingProfile.OFF and flags[profile] is not True:
                await profile_setter(client, profile)(evse_id, True)  # noqa: FBT003
                sent = True
            for other, active in flags.items():
                if other is not profile and active is not False:
                    await profile_setter(client, other)(evse_id, False)  # noqa: FBT003
                    sent = True
            if then is not None:
                await then(client)
                sent = True
            if sent:
                # CH_STATUS does not carry the profile flags; the subscriber applies the list.
                await client.get_charge_points()

        if then is None:
            await self.async_execute(evse_id, run)
        else:
            # The settings (SET_PRICE_BASED_SETTINGS) are retired on some servers: an ERROR
            # is "not supported by this server", and the connection stays.
            await self.async_execute_app_only(evse_id, run)

    async def async_boost(self, evse_id: str) -> None:
        """Override the profile that holds charging back, for this session."""
        charge_point = self.data.charge_points.get(evse_id)
        commands = boost_commands(charge_point) if charge_point else []

        async def run(client: BlueCurrentClient) -> None:
            for command in commands:
                await command(client, evse_id)

        await self.async_execute(evse_id, run)

    def boost_possible(self, charge_point: ChargePointData) -> bool:
        """Whether a smart-charging profile holds the session back now (§6.1)."""
        return bool(boost_commands(charge_point))
