"""Local simulators of the charge-point servers, one package per brand."""
