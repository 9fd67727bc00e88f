"""The go-e brand: chargers and controllers over the local or cloud HTTP API v2 (polled)."""
