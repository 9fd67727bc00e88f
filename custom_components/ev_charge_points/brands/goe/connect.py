"""Building a go-e client for an entry or a flow: local endpoint or cloud endpoint.

One place decides the session and the cloud endpoint, so the flow and the coordinator
reach the device the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.ev_charge_points.api.goe import (
    CloudEndpoint,
    DeviceKind,
    GoeClient,
    LocalEndpoint,
    needs_legacy_filter,
)

from .const import (
    CONF_API_KEY,
    CONF_CONNECTION,
    CONF_HOST,
    CONF_KIND,
    CONF_SERIAL,
    CONNECTION_CLOUD,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

# Extra CloudEndpoint arguments (scheme, port): empty in use; tests reach the simulator with them.
CLOUD_ENDPOINT_OPTIONS: dict[str, Any] = {}


def local_client(hass: HomeAssistant, host: str, *, firmware: str | None = None) -> GoeClient:
    """A client of the device's local API at `host` (a name or address, optionally `:port`)."""
    return GoeClient(
        LocalEndpoint(host.strip()),
        async_get_clientsession(hass),
        legacy_filter=needs_legacy_filter(firmware),
    )


def cloud_client(
    hass: HomeAssistant,
    serial: str,
    api_key: str,
    kind: DeviceKind = DeviceKind.CHARGER,
    *,
    max_age: int | None = None,
) -> GoeClient:
    """A client of the go-e cloud API for the device `serial`."""
    return GoeClient(
        CloudEndpoint(
            serial.strip(), api_key.strip(), kind=kind, max_age=max_age, **CLOUD_ENDPOINT_OPTIONS
        ),
        async_get_clientsession(hass),
    )


def entry_client(
    hass: HomeAssistant, data: Mapping[str, Any], *, max_age: int | None = None
) -> GoeClient:
    """The client an entry's data describes."""
    if data.get(CONF_CONNECTION) == CONNECTION_CLOUD:
        return cloud_client(
            hass,
            data[CONF_SERIAL],
            data[CONF_API_KEY],
            DeviceKind(data.get(CONF_KIND, DeviceKind.CHARGER)),
            max_age=max_age,
        )
    return local_client(hass, data[CONF_HOST])
