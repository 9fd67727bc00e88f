"""A local simulator of the Blue Current cloud websocket server.

It speaks the protocol of /work/shared/protocols/bluecurrent.md (the "doc" below) on real loopback
sockets: `/haserver` (HA, one-shot and long-lived), `/appserver/2.0` (app login), and `/control`
(a JSON control channel for other processes). It imports nothing from `custom_components`.

Where the doc says (unknown) or (inferred), the behaviour is a `SimulatorOptions` field. Defaults:

- `request_limit=None`: the daily budget is (unknown, §5.1); None means unlimited. Every command
  frame counts (one-shots, HELLO, malformed frames); the count resets at 00:00 Europe/Amsterdam
  on the SimClock. Over budget: upgrades get 403 + `x-websocket-reject-reason: Request limit
  reached`; a command on a socket that has not sent HELLO gets ERROR 42; and every HELLO'd socket
  is closed with 4001.
- `smart_charging_replies="status"`: the replies to SET_DELAYED_CHARGING & co are (unknown, §2.1);
  "status" sends RECEIVED_<CMD> + STATUS_<CMD> like the settings, "none" sends nothing.
- `pnc_card_key="both"`: the P&C card key is (unknown, §3.4); "both" sends `plug_and_charge_card`
  and `plug_and_charge_charge_card` in CHARGE_POINTS and CH_SETTINGS.
- `stale_start_datetime=False`: the 2022 quirk (§3.3) where the first push after a session start
  carries the previous session's `start_datetime`; off by default.
- `reject_second_connection=False`: "Already connected" (§5.1). When on, any upgrade from an IP
  that already has a HELLO'd socket is refused (one-shots included: the HA config flow shows
  already_connected on validation), status `already_connected_status=403`.
- `result_delay=0.05` s (wall time) between RECEIVED_ and STATUS_ of settings and actions.
- `status_push_interval=10.0` / `grid_push_interval=30.0` simulated seconds: the periodic CH_STATUS
  push while a session runs and the GRID_CURRENT push; the real intervals are (unknown).
  CH_STATUS is also pushed at once on every change of activity, vehicle status, session start or
  stop, offline_since or the max currents.
- `foreign_evse_error=(2, "Not authorized")`: the answer to an evse of another account or an
  unknown evse; the code of the app's "forbidden" is (unknown, §3.7).
- `pushes_require_charge_points=True`: CH_STATUS/CH_SETTINGS pushes for an evse start only after
  the socket received a CHARGE_POINTS listing it (§8 #7: HA crashes on an unknown evse).
- `push_settings_on_change=False`: a CH_SETTINGS push after a setting change is (inferred, §3.1).
- `pnc_card_received_ack=False`: SET_PLUG_AND_CHARGE_CHARGE_CARD gets only STATUS_
  (§3.7 lists no ack for it).
- `clear_reply_schedule_id=True`: POST_CLEAR_OVERRIDE_CURRENT's reply is (unknown, §3.8); it is
  `{"success": bool, "error": str, "schedule_id": str}` (an unknown id gives success false).
- `invalid_token_error=""`: the `error` text of a failed STATUS_API_TOKEN (the doc's example).
- `realtime=False`: when True, a background task advances the clock with wall time.
- `control_channel=True`: serve `/control`.

- `haserver_refuses_app_only=False`: whether /haserver refuses UNLOCK_CONNECTOR,
  SET_PLUG_AND_CHARGE_CHARGE_CARD and the retired SET_PRICE_BASED_SETTINGS is (unknown); True
  answers them there with ERROR `app_only_error` (default 0 "Unknown command").
- `failed_setting_names_requested=False`: a failed SET_PLUG_AND_CHARGE / SET_PUBLIC_CHARGING
  result names the requested value instead of the current one.

Odd frame shapes for client tests live in `sim.faults.frames` (frame_faults.py): rewriting the
next frames of one object (keys set or removed, e.g. GRID_STATUS without `id`, GRID_CURRENT or
setting results without `evse_id`, one empty CHARGE_POINTS), a command that always fails for
one charge point (ERROR 9), and CH_STATUS frames with replaced fields (null/empty timestamps,
energy dips, negative or absurd numbers) or an earlier CH_STATUS again (a late frame).

Other choices where the doc is silent (not options):
- One auth token per account, stable across validations; `revoke_token` removes it.
- Replies on one socket keep the order of the commands; STATUS_ follows after `result_delay`.
- A frame that is not a JSON object with a string `command`, or has an unusable field, gets
  ERROR 9 "Unknown error". An unknown command gets ERROR 0, a missing/unknown auth token ERROR 1
  (checked before the command name). POST_EDIT of an unknown schedule gets ERROR 9. The server
  keeps the socket open after an ERROR (the HA client is the one that drops it).
- Activities: offline > error > unavailable (SET_INOPERATIVE, which also ends a session) >
  charging/delayed (session) > available. START_SESSION fails with STATUS_ "REJECTED" for an unknown
  or invalid card uid, no car, a blocked point or a running session, and "TIMEOUT" while the point
  is offline (as do the other actions). Delayed charging holds a session inside its window
  (start_time..end_time local, "Delay from/to" per the HACS README; default window: all day) until
  OVERRIDE_DELAYED_CHARGING_TIMEOUT; smart charging caps the current at smartcharging_max_usage
  until OVERRIDE_CHARGING_PROFILES. Override-current schedules cap the current while their window
  is open.
- VALIDATE_PASSWORD (app) accepts, for a known login, any well-formed SJCL envelope (§1.4: a JSON
  object with iv/salt/ct in base64, cipher "aes", mode "ccm", int v/iter/ks/ts); it is not
  decrypted. Option `password_check="non_empty"` accepts any non-empty string instead.
- GET_SESSIONS / GET_STATUS (app, "does not work" per the app client; replies unknown): unknown
  commands (ERROR 0) by default; option `answer_legacy_app_requests` answers SESSIONS with an
  empty `data` list and STATUS with the CH_STATUS data.
- The REST API of §7 is served under /app/bc_api/api/v2.0 (simulators/bluecurrent/rest.py): status,
  contracts, grids and transactions, 25 per page, from a seeded history (scenario `history_days`)
  plus every session that ends in the simulator. Whether REST accepts the HA API auth token is
  (unknown): option `rest_accepts_api_token` (default True); with False it answers 401 until the
  account has logged in on the app socket.

What pybluecurrent 0.4.1 (the app client, APP) expects is served as well; facts from its code
(`client.py`, `models.py`) unless marked §N (the doc). tests/simulators/bluecurrent/
test_pybluecurrent.py drives pybluecurrent itself against it.
- App socket: VALIDATE_API_TOKEN / VALIDATE_PASSWORD then HELLO (§1.4, APP); GET_ACCOUNT,
  GET_CHARGE_CARDS, GET_CHARGE_POINTS, GET_CH_SETTINGS, GET_GRID_STATUS,
  GET_SUSTAINABILITY_STATUS (§3, APP); SET_PLUG_AND_CHARGE_CHARGE_CARD with token_uid "BCU-APP"
  for no card, STATUS_ only (§3.7, APP); SOFT_RESET / REBOOT with RECEIVED_ + STATUS_ carrying
  the flow_id (APP; STATUS_ after `result_delay`, the real backend takes up to ~30 s).
- CHARGE_POINTS entries carry `socket_ids` (scenario `socket_ids`, default [1]; APP) and
  `capacity_tariff` {value, permission, capacitytariffmaxkwh} (APP; the permission is the
  scenario's `capacity_tariff_permission`, "write" by default; a set is refused without it);
  an enabled delayed profile
  adds start_time/end_time/selected_days, an enabled price profile expected_leave_time/
  expected_kwh/minimum_kwh (APP's read keys). CH_SETTINGS has them only with
  `settings_include_profiles` (§3.4 lists none of them). The no-card P&C card reads back as
  `pnc_no_card_uid` ("BCU-APP" per §3.4 by default; APP maps "BCU_HOME_USE" to None).
- REST bc API v2.0 (§7 and APP): chargepointstatus, getcontracts, getgrids, gettransactions
  (paged, `start_date`/`end_date` "D-M-YYYY" from APP; which day they bound is option
  `rest_date_filter`; APP's extra item keys socket_id / reimbursement_tariff_ex_vat and the
  page's total_transactions with `rest_transaction_extras`), gethomeautomationkey,
  generatehomeautomationkey (APP: rotates the API token); v2.1 chargepointstatus (APP only):
  `{"items": [...]}`, one status per socket with socket_id and boosting. A dual-socket point's
  car and session are on its first socket; the others report an idle connector.
- REST commands (app_commands.py, APP only): the smart-charging and capacity-tariff POSTs on the
  bc API, and the bce API actions setoperative / setinoperative (confirmed by a
  STATUS_SET_(IN)OPERATIVE push with the flow_id, `app_action_status_delay`) and
  unlockconnector (no confirmation). The bce API's Authorization: APP sends the bare token, the
  bc API "Token <token>"; which the bce API takes is option `bce_auth` (default both).
- Error statuses: 401 for a missing/unknown token, 403 for another account's charge point, 400
  for an unusable request (status codes (unknown) in §7; APP only checks for an HTTP error). The
  command POSTs carry the websocket ERROR object as body (APP: "the same body the websocket
  sends").
"""

from simulators.common.clock import SimClock

from .commandlog import ReceivedCommand
from .faults import Faults
from .options import SimulatorOptions
from .physics import SimChargePoint, SimGrid
from .scenario import ChargePointSpec, Scenario
from .schedules import OverrideSchedule
from .server import BlueCurrentSimulator

__all__ = [
    "BlueCurrentSimulator",
    "ChargePointSpec",
    "Faults",
    "OverrideSchedule",
    "ReceivedCommand",
    "Scenario",
    "SimChargePoint",
    "SimClock",
    "SimGrid",
    "SimulatorOptions",
]
