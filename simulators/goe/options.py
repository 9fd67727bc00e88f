"""Every behaviour the protocol doc leaves open, as a switch (defaults in the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

type Family = Literal["v4", "pro"]

TEXT_API_OFF_OLD = "This URI does not exist"
TEXT_API_OFF_NEW = "Nothing matches the given URI"
TEXT_BUSY = "couldn't take api lock in 3s, please try again later"


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorOptions:
    """Switches for the doc's (inferred) and conflicting facts."""

    # "v4": an unknown filter key is left out (200); "pro": 400 with the supported keys (§2.3).
    family: Family = "v4"
    # PRO fw 60.3 also answers an unfiltered status with 400 (+ full body).
    unfiltered_status_400: bool = False
    # False sends the filter 400 without a body: not in the doc (which says the body holds the
    # supported keys), offered to exercise clients that must not rely on that body.
    bad_request_body: bool = True
    filter_case_sensitive: bool = True
    # None picks the family's text: "This URI does not exist" (v4), "Nothing matches ..." (pro).
    api_disabled_text: str | None = None
    api_disabled_status: int = 404
    # HTTP status of a local set where some keys were accepted and some rejected (500 or 200).
    partial_set_status: int = 500
    # Seconds between two runs of the charger's control logic (documented: once per second).
    logic_interval: float = 1.0
    # The pause of a phase switch while charging (modelStatus 23), seconds (inferred).
    phase_switch_pause: float = 5.0
    # `ids` readable as pgrid/ppv/pakku for this long after the last write (doc: 5-10 s).
    ids_ttl: float = 5.0
    tcl_ttl: float = 600.0
    # Cloud: host patterns a controller answers on (both, per the §3.1 conflict); a charger
    # always answers on api.v3 and, when `charger_on_controller_host`, also on api.controller.
    controller_cloud_hosts: tuple[str, ...] = ("api.v3", "api.controller")
    charger_on_controller_host: bool = False
    cloud_domain: str = "go-e.io"
    # Wrong or missing cloud token: 401 or 403 (the docs do not say).
    cloud_auth_status: int = 401
    # An offline device: cloud 404 while the cached data is older than `age` but the device was
    # seen within this many seconds, 403 after (inferred split of the two codes).
    cloud_offline_after: float = 120.0
    # The body of a cloud set (202/422) is (inferred): the per-key map, or nothing.
    cloud_set_body_map: bool = True
    # Keep modelStatus <= 24 (the `goe` package's enum raises on higher codes, §5 pitfall).
    legacy_model_status: bool = False
    # Which `err` list the device follows when /control raises an error by name (§6).
    error_list: Literal["curated", "firmware"] = "curated"
    realtime: bool = False
    control_channel: bool = True

    @property
    def api_off_text(self) -> str:
        """The body of a request while `hai` is false."""
        if self.api_disabled_text is not None:
            return self.api_disabled_text
        return TEXT_API_OFF_NEW if self.family == "pro" else TEXT_API_OFF_OLD
