"""The veCharge simulator self-tests use plain python-socketio clients (deliberately not our
client) against the simulator of `fixtures.py` (a plugin of tests/conftest.py)."""
