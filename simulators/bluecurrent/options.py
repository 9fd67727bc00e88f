"""The behaviour switches of the simulator, mostly for what the protocol leaves open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .protocol import ERROR_NOT_AUTHORIZED, ERROR_UNKNOWN_COMMAND
from .scenario import NO_CARD


@dataclass(slots=True)
class SimulatorOptions:
    """Behaviour switches, mostly for what the protocol reference marks (unknown)/(inferred).

    The defaults and the reasons for them are described in the package docstring
    (simulators/bluecurrent/__init__.py).
    """

    request_limit: int | None = None
    smart_charging_replies: Literal["status", "none"] = "status"
    pnc_card_key: Literal["plug_and_charge_card", "plug_and_charge_charge_card", "both"] = "both"
    stale_start_datetime: bool = False
    reject_second_connection: bool = False
    result_delay: float = 0.05
    grid_push_interval: float = 30.0
    status_push_interval: float = 10.0
    realtime: bool = False
    foreign_evse_error: tuple[int, str] = ERROR_NOT_AUTHORIZED
    pushes_require_charge_points: bool = True
    push_settings_on_change: bool = False
    pnc_card_received_ack: bool = False
    clear_reply_schedule_id: bool = True
    invalid_token_error: str = ""
    already_connected_status: int = 403
    control_channel: bool = True
    rest_accepts_api_token: bool = True
    rest_page_size: int = 25
    # GET_SESSIONS / GET_STATUS: the app client calls them "does not work" (§2.1) and their
    # replies are (unknown). False: they are unknown commands (ERROR 0); True: SESSIONS with an
    # empty list and STATUS with the CH_STATUS data.
    answer_legacy_app_requests: bool = False
    # VALIDATE_PASSWORD: "sjcl_envelope" accepts a password that is a well-formed SJCL JSON
    # envelope (§1.4; it is not decrypted), "non_empty" any non-empty string.
    password_check: Literal["sjcl_envelope", "non_empty"] = "sjcl_envelope"  # noqa: S105 - a mode
    # The uid the plug & charge card reads back as when none is set: the doc's pseudo-card
    # "BCU-APP" (§3.4), or "BCU_HOME_USE", the sentinel pybluecurrent 0.4.1 maps to None.
    pnc_no_card_uid: str = NO_CARD
    # gettransactions start_date/end_date (pybluecurrent 0.4.1): which day of a transaction
    # they bound is (unknown); "stopped" (the sort field, stoppedtimestamp) or "started".
    rest_date_filter: Literal["stopped", "started"] = "stopped"
    # gettransactions: pybluecurrent 0.4.1's model adds socket_id and reimbursement_tariff_ex_vat
    # to each item and total_transactions to the page; §7 shows none of them (default off).
    rest_transaction_extras: bool = False
    # /haserver answers the app-only commands (UNLOCK_CONNECTOR, SET_PLUG_AND_CHARGE_CHARGE_CARD)
    # and the retired SET_PRICE_BASED_SETTINGS with ERROR `app_only_error` instead of serving
    # them; whether the real HA server does is (unknown). Off: served like on the app socket.
    haserver_refuses_app_only: bool = False
    app_only_error: tuple[int, str] = ERROR_UNKNOWN_COMMAND
    # A failed SET_PLUG_AND_CHARGE / SET_PUBLIC_CHARGING result names the requested value
    # (which then differs from the current one) instead of the current value.
    failed_setting_names_requested: bool = False
    # CH_SETTINGS with delayed_charging / price_based_charging / capacity_tariff (as pybluecurrent
    # 0.4.1 reads them) or only the keys of §3.4 (the doc's, default).
    settings_include_profiles: bool = False
    # The bce API (`/app/bce_api/api/v1`): pybluecurrent 0.4.1 sends the bare session token as
    # Authorization, the bc API wants "Token <token>"; which ones the bce API takes is (unknown).
    bce_auth: Literal["bare", "prefixed", "both"] = "both"
    # Seconds (wall time) from a bce set_status POST to its STATUS_SET_(IN)OPERATIVE push; None:
    # result_delay. The real backend answers "just after 30 s" (pybluecurrent 0.4.1).
    app_action_status_delay: float | None = None

    def __post_init__(self) -> None:
        """Reject values the server cannot honour."""
        if self.smart_charging_replies not in ("status", "none"):
            raise ValueError("smart_charging_replies must be 'status' or 'none'")
        if self.pnc_card_key not in ("plug_and_charge_card", "plug_and_charge_charge_card", "both"):
            raise ValueError("bad pnc_card_key")
        if self.status_push_interval <= 0 or self.grid_push_interval <= 0:
            raise ValueError("push intervals must be positive")
        if self.password_check not in ("sjcl_envelope", "non_empty"):
            raise ValueError("password_check must be 'sjcl_envelope' or 'non_empty'")
        if self.bce_auth not in ("bare", "prefixed", "both"):
            raise ValueError("bce_auth must be 'bare', 'prefixed' or 'both'")
