"""What a Blue Current charge point can do: the protocol offers the same to every model."""

from __future__ import annotations

from typing import Final

from custom_components.ev_charge_points.model import Capability

# Everything but a charging on/off switch: Blue Current starts and stops sessions instead.
BLUE_CURRENT_CAPABILITIES: Final = frozenset(Capability) - {Capability.CHARGING_SWITCH}
