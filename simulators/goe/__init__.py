"""A local simulator of the go-e HTTP API v2 (chargers and controllers, local and cloud).

It speaks the protocol of /work/shared/protocols/goe.md (the "doc") on real loopback sockets and
imports nothing from `custom_components`. Where the doc says (inferred) or two sources disagree,
the behaviour is a `SimulatorOptions` field:

- `family="v4"`: an unknown filter key is left out of a 200 reply (V3/V4); "pro" answers 400
  with the supported keys (CORE/PRO fw 60.x, §2.3). `unfiltered_status_400` adds PRO fw 60.3's
  400 on an unfiltered status. The filter is case-sensitive (`filter_case_sensitive`, inferred);
  the legacy JSON-array filter form is always understood; an empty filter returns everything.
- `api_disabled_text`: the 404 body while `hai` is false; by default the family's text
  ("This URI does not exist" for v4, "Nothing matches the given URI" for pro);
  `api_disabled_status=404` (the code is inferred).
- `partial_set_status=500`: a set with accepted and rejected keys (500 or 200, inferred).
  Texts: read-only `k: tried to set api key without setter (v)`, unquoted string
  `k: invalid json IncompleteInput: raw`, wrong type `k: value must be string 0`, out of range
  `k: value out of range lo..hi (v)` and unknown key `k: unknown api key (v)` (both inferred).
- `logic_interval=1.0`: the 1 Hz control logic; a write shows its effect at the next run.
  `phase_switch_pause=5.0` s of modelStatus 23 when `psm` changes while charging (inferred).
  `ids_ttl=5.0`, `tcl_ttl=600.0`.
- Cloud on the main port by Host header `{serial}.api.v3.go-e.io`; a controller also answers on
  `{serial}.api.controller.go-e.io` (`controller_cloud_hosts`, §3.1 conflict: both resolve),
  a charger only on api.v3 unless `charger_on_controller_host`. Token as Bearer header or
  `token=`; a wrong or missing token gets `cloud_auth_status=401` (401 or 403, unknown).
  `cae` false gives 403. An offline device: 404 while seen within `cloud_offline_after=120` s
  and the cached status is older than `age` (default 30 s), 403 after. Set: 202 when any key
  was accepted, 422 when none; the body is the per-key map (inferred;
  `cloud_set_body_map=False` sends none). `Last-Modified` on status.
- `legacy_model_status=False`: True keeps modelStatus <= 24 (the `goe` package raises above).
- `error_list="curated"`: `/control set_error {"name": "Overtemp"}` gives 13 (curated list) or,
  with "firmware", 16 (the 59.4+ export); `{"code": N}` sets any number.
- Not simulated: the WebSocket and MQTT surfaces, API v1, the Awattar price logic, RFID cards,
  the memory limit of the legacy array filter beyond about 10 entries.
"""

from simulators.common.clock import SimClock

from .charger import ChargerSpec, SimCar, SimCharger
from .controller import ControllerSpec, SimController
from .options import SimulatorOptions
from .scenario import SCENARIO_DIR, DeviceEntry, Scenario
from .server import GoeSimulator

__all__ = [
    "SCENARIO_DIR",
    "ChargerSpec",
    "ControllerSpec",
    "DeviceEntry",
    "GoeSimulator",
    "Scenario",
    "SimCar",
    "SimCharger",
    "SimClock",
    "SimController",
    "SimulatorOptions",
]
