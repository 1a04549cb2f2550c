"""When and how long to wait before retrying an embeddings request."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

__all__ = ["backoff_delay", "retry_after_seconds"]


def retry_after_seconds(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """The server's requested wait from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry ``attempt`` (1 for the first retry).

    Exponential backoff with "equal jitter": half of ``base * 2**(attempt-1)``
    (capped at ``cap``) plus a random part up to the other half, so clients
    that failed together do not retry together. A server's ``Retry-After``
    is honoured as the minimum wait (plus up to 10% jitter), even beyond ``cap``.
    """
    draw = (rng or random).random()
    exponential = min(cap, base * 2 ** (attempt - 1))
    delay = exponential / 2 + draw * exponential / 2
    if retry_after is not None:
        delay = max(delay, retry_after * (1 + 0.1 * draw))
    return float(delay)
