"""Where the client sends its requests: the device on the LAN, or the go-e cloud.

Both surfaces speak the same `/api/status` and `/api/set`; they differ in the base URL, the
token header and the meaning of some status codes, which the client reads from `is_cloud`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .const import DeviceKind


class CloudHost(StrEnum):
    """The cloud host pattern (§3.1 conflict for the controller).

    The official docs (and marq24) use `api.v3` for chargers and controllers; the `goe`
    package 0.2.x sends controller requests to `api.controller`. Both are offered.
    """

    V3 = "api.v3"
    CONTROLLER = "api.controller"


@dataclass(frozen=True, slots=True)
class LocalEndpoint:
    """The device's own HTTP API v2 on the LAN (no authentication, §2.4)."""

    host: str
    scheme: str = "http"
    port: int | None = None
    base_url: str | None = None
    is_cloud: bool = field(default=False, init=False)

    @property
    def url(self) -> str:
        """Base URL without the trailing slash (`base_url` wins, for tests and proxies)."""
        if self.base_url:
            return self.base_url.rstrip("/")
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host}{port}"

    def headers(self) -> dict[str, str]:
        """No headers: the local API has no auth."""
        return {}

    def __repr__(self) -> str:
        """Show where, never more."""
        return f"LocalEndpoint({self.url})"


@dataclass(frozen=True, slots=True)
class CloudEndpoint:
    """The go-e cloud API for one device: `https://{serial:06}.api.v3.go-e.io`, Bearer token."""

    serial: str
    token: str = field(repr=False)
    kind: DeviceKind = DeviceKind.CHARGER
    controller_host: CloudHost = CloudHost.V3
    domain: str = "go-e.io"
    scheme: str = "https"
    port: int | None = None
    base_url: str | None = None
    # How old (seconds) the cloud's cached status may be; None keeps the cloud default (30 s).
    max_age: int | None = None
    is_cloud: bool = field(default=True, init=False)

    @property
    def serial_label(self) -> str:
        """The serial zero-padded to 6 digits, as it appears in the host name."""
        return self.serial.strip().zfill(6)

    @property
    def host_name(self) -> str:
        """`{serial}.api.v3.go-e.io`, or `api.controller` for a controller when chosen."""
        pattern = self.controller_host if self.kind is DeviceKind.CONTROLLER else CloudHost.V3
        return f"{self.serial_label}.{pattern.value}.{self.domain}"

    @property
    def url(self) -> str:
        """Base URL without the trailing slash."""
        if self.base_url:
            return self.base_url.rstrip("/")
        port = f":{self.port}" if self.port else ""
        return f"{self.scheme}://{self.host_name}{port}"

    def headers(self) -> dict[str, str]:
        """The token as a Bearer header (never in the query, so it stays out of URL logs)."""
        return {"Authorization": f"Bearer {self.token}"}


type Endpoint = LocalEndpoint | CloudEndpoint
