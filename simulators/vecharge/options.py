"""Simulator options: one switch for each plausible reading of what the protocol doc leaves open.

Every field can also be changed while the simulator runs (`/control` action `options`), which is
how tests and the demo inject faults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

# How the server refuses a bad token or an unknown charger (doc §5, §7: unknown).
#  connect_error: Socket.IO CONNECT_ERROR with {"message": ...} (a JS middleware `next(err)`).
#  http_status:   the handshake request itself answered 401 (token) or 404 (charger).
#  error_event:   the connection is accepted, an `error` event carries the message, then close.
type RefusalStyle = Literal["connect_error", "http_status", "error_event"]
# How event payloads travel: JSON text inside the frame (the seed) or plain JSON objects.
type PayloadEncoding = Literal["json_string", "object"]
# The chargerConnected document: the seed's Mongoose dump (`_doc`) or a flat document.
type DocumentForm = Literal["mongoose", "flat"]
# Whether the `token` query value must carry the "Bearer " prefix (the seed says keep it).
type BearerPrefix = Literal["required", "optional"]
# The REST success reply (undocumented): JSend `{"status": "success"}` or 204 without a body.
type RestSuccess = Literal["jsend", "empty"]


@dataclass(kw_only=True)
class SimulatorOptions:
    """Behaviour switches and fault injections of the veCharge simulator."""

    refusal_style: RefusalStyle = "connect_error"
    auth_error_message: str = "Authentication error"
    unknown_charger_message: str = "Charger not found"
    payload_encoding: PayloadEncoding = "json_string"
    document_form: DocumentForm = "mongoose"
    bearer_prefix: BearerPrefix = "required"
    rest_success: RestSuccess = "jsend"
    # Seconds of simulated time between two newLog events of a charger that is on (unknown).
    log_interval: float = 5.0
    # Engine.IO heartbeat in wall seconds (Socket.IO 4 JS defaults: 25 s / 20 s).
    ping_interval: float = 25.0
    ping_timeout: float = 20.0
    # The seed: switching off closes the socket. False keeps it open (a plausible change).
    close_on_off: bool = True
    # After the Socket.IO DISCONNECT, also close Engine.IO from the server side at once. Off by
    # default: with it on, the seed's sync client (python-socketio 5.18.1, long-polling) was seen
    # to reconnect after "Disconnected from server", so its `sio.wait()` never returned, which
    # contradicts the seed. Our async client handles both (tests).
    close_transport_after_disconnect: bool = False
    # Whether the disconnect API (removeChargerFromUser) emits statusChanged OFF before closing.
    disconnect_api_emits_status: bool = False
    # Faults.
    handshake_delay: float = 0.0
    rest_delay: float = 0.0
    rest_error_status: int | None = None
    send_document_on_connect: bool = True
    # False: a switch happens but its statusChanged is lost (a confirmation that never comes).
    announce_switch: bool = True

    def update(self, changes: dict[str, Any]) -> None:
        """Set the named fields (from a control command); unknown names raise ValueError."""
        known = {field.name for field in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown option {name!r}")
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        """The options as JSON-able data (for stats)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
