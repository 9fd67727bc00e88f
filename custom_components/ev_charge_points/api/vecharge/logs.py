"""The logger handed to python-socketio and python-engineio, with the token redacted.

Those libraries log the full handshake URL at INFO ("Attempting polling connection to
https://...?token=Bearer%20<TOKEN>&..."), so the bearer token would reach the log of anyone who
turns their logging up. Every record through this logger has `token=` values replaced.
"""

from __future__ import annotations

import logging
import re

_TOKEN_VALUE = re.compile(r"(token=)[^&\s'\"]+", re.IGNORECASE)
_BEARER_VALUE = re.compile(r"(Bearer(?:%20|\+|\s))[^&\s'\"]+", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace token values in `text` with `***`."""
    return _BEARER_VALUE.sub(r"\1***", _TOKEN_VALUE.sub(r"\1***", text))


class _RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


TRANSPORT_LOGGER = logging.getLogger(__name__.rsplit(".", 1)[0] + ".transport")
TRANSPORT_LOGGER.addFilter(_RedactTokens())
