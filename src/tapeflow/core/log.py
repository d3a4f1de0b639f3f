"""Warnings through the `tapeflow` logger, printed as TF prints its own (`WARNING:tapeflow:...`),
with TF's per-call-site limits."""

from __future__ import annotations

import logging
import sys

_logger = logging.getLogger("tapeflow")
_configured = False
_counts: dict = {}  # (key, call site) -> how many times it was logged


def logger() -> logging.Logger:
    """The `tapeflow` logger. Like TF, it gets its own stderr handler on first use, unless the
    application has configured logging (the root logger has handlers) or this logger."""
    global _configured
    if not _configured:
        _configured = True
        if not logging.getLogger().handlers and not _logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
            _logger.addHandler(handler)
    return _logger


def warn(message: str) -> None:
    logger().warning(message)


def warn_per_call_site(key: str, limit: int, message: str, depth: int = 2) -> None:
    """Logs `message` at most `limit` times for each line of user code that triggers it.

    `depth` counts frames from the caller of this function to the user's frame.
    """
    frame = sys._getframe(depth)
    site = (key, frame.f_code.co_filename, frame.f_lineno)
    count = _counts.get(site, 0)
    if count < limit:
        _counts[site] = count + 1
        warn(message)
