"""Blue Current: cloud websocket push (see docs/architecture.md for what a brand holds)."""
