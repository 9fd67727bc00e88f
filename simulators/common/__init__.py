"""Pieces every brand's simulator reuses: the simulated clock and the /control channel.

Nothing here knows a brand's protocol, so no simulator shares protocol code with another or with
the client it serves.
"""
