"""The test brand on the polled base: a coordinator, its mapping and one flow step."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from custom_components.ev_charge_points.model import Capability, ChargePointData, ChargerActivity
from custom_components.ev_charge_points.polled import PolledCoordinator
from custom_components.ev_charge_points.registry import CONF_BRAND, Brand

from .client import InMemoryClient, InMemoryError, InMemoryPoint

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
    from homeassistant.core import HomeAssistant

BRAND_KEY = "testbrand"
POLL_INTERVAL = timedelta(seconds=30)
CAPABILITIES = frozenset({Capability.STATUS, Capability.CHARGING_SWITCH})


def to_model(point: InMemoryPoint) -> ChargePointData:
    """The brand's mapping: client model -> neutral model."""
    if not point.online:
        activity = ChargerActivity.OFFLINE
    elif point.car_charging:
        activity = ChargerActivity.CHARGING
    else:
        activity = ChargerActivity.AVAILABLE
    return ChargePointData(
        id=point.serial,
        name=point.name,
        manufacturer="Test brand",
        activity=activity,
        charging_enabled=point.charging_allowed,
        firmware_version=point.firmware,
        configuration_url=f"http://{point.address}" if point.address else None,
    )


class TestBrandCoordinator(PolledCoordinator[InMemoryClient]):
    """Polls the in-memory client; charging on/off is its only command."""

    brand_name: ClassVar[str] = "Test brand"
    manufacturer: ClassVar[str | None] = "Test brand"
    client_errors: ClassVar[tuple[type[Exception], ...]] = (InMemoryError,)

    def capabilities(self, evse_id: str) -> frozenset[Capability]:  # noqa: ARG002
        """Status and charging on/off, for every point."""
        return CAPABILITIES

    async def _async_poll(self) -> None:
        for point in await self.client.read():
            self._async_publish_charge_point(to_model(point), has_status=True)

    async def async_set_charging(self, evse_id: str, on: bool) -> None:
        """Write, then read back: the switch shows what the device now has."""
        await self.async_execute_and_confirm(
            evse_id, lambda client: client.set_charging_allowed(evse_id, allowed=on)
        )


def make_brand(client: InMemoryClient) -> Brand:
    """The brand, with every entry talking to `client`."""

    def create_coordinator(hass: HomeAssistant, entry: ConfigEntry[Any]) -> TestBrandCoordinator:
        return TestBrandCoordinator(hass, entry, client, update_interval=POLL_INTERVAL)

    async def async_step_testbrand(
        flow: ConfigFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        if user_input is None:
            return flow.async_show_form(step_id=BRAND_KEY)
        await flow.async_set_unique_id("test-account")
        return flow.async_create_entry(title="Test account", data={CONF_BRAND: BRAND_KEY})

    return Brand(
        key=BRAND_KEY,
        name="Test brand",
        create_coordinator=create_coordinator,
        flow_steps={BRAND_KEY: async_step_testbrand},
    )
