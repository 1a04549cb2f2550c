"""The built-in ``rerank`` hook: :class:`~jobforge.core.ranking.FeatureReranker`
with weights from ``[ranking]`` or, per tenant and user, from feature flags.

Flags (through the FeatureFlags port, so LaunchDarkly can roll a change out
to some tenants first):

* ``ranking.enabled`` (bool): rerank at all; default ``[ranking] enabled``.
* ``ranking.weights`` (object): feature weights replacing those of
  ``[ranking.weights]``, e.g. ``{"title": 1.5, "recency": 0.3}``. An invalid
  value is logged and ignored.

The plugin is registered first, so rerank hooks of other plugins see its
order and may refine it. Only the hits of the requested page (the first
``offset + limit``) carry ``explanation["ranking"]``; the rest of the rerank
window is ordered but not explained, since it is never shown.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

import msgspec

from jobforge.core.errors import InvalidFilterError
from jobforge.core.filters import parse_filters
from jobforge.core.ranking import FeatureReranker, RankingWeights
from jobforge.core.search_types import SearchHit, SearchRequest
from jobforge.hookspecs import hookimpl
from jobforge.ports import Clock, FeatureFlags

__all__ = ["ENABLED_FLAG", "PLUGIN_NAME", "WEIGHTS_FLAG", "BuiltinRanking"]

log = logging.getLogger(__name__)

PLUGIN_NAME = "ranking"
"""The name the built-in reranker is registered under (``[plugins] block`` may name it)."""
ENABLED_FLAG = "ranking.enabled"
WEIGHTS_FLAG = "ranking.weights"


class BuiltinRanking:
    """The pluggy plugin object implementing ``rerank``.

    Args:
        weights: The configured weights (``[ranking.weights]`` over the defaults).
        enabled: ``[ranking] enabled``, the default of the ``ranking.enabled`` flag.
        flags: Returns the feature flags (resolved on first use).
        clock: For recency and relative filters.
        half_life_days: Recency half life.
        default_currency: Currency of amounts written without one.
    """

    def __init__(
        self,
        weights: RankingWeights,
        *,
        enabled: bool,
        flags: Callable[[], FeatureFlags],
        clock: Clock,
        half_life_days: float = 30.0,
        default_currency: str = "USD",
    ) -> None:
        self.enabled = enabled
        self._flags = flags
        self.clock = clock
        self.default_currency = default_currency
        self.reranker = FeatureReranker(
            weights, now=clock.now, half_life_days=half_life_days, default_currency=default_currency
        )

    def weights_for(self, tenant_id: str | None, user_id: str | None) -> RankingWeights | None:
        """The weights for this tenant and user, or ``None`` when ranking is off for them."""
        flags = self._flags()
        if not bool(flags.get(ENABLED_FLAG, self.enabled, tenant_id=tenant_id, user_id=user_id)):
            return None
        overrides: Any = flags.get(WEIGHTS_FLAG, None, tenant_id=tenant_id, user_id=user_id)
        if overrides is None:
            return self.reranker.weights
        try:
            if isinstance(overrides, str | bytes):
                overrides = msgspec.json.decode(overrides)
            if not isinstance(overrides, dict):
                raise ValueError(f"expected an object of feature weights, got {type(overrides).__name__}")
            return self.reranker.weights.merged(overrides)
        except (ValueError, TypeError, msgspec.DecodeError) as exc:
            log.warning("flag %s has an invalid value (%s); using the configured weights", WEIGHTS_FLAG, exc)
            return self.reranker.weights

    def variant(self, tenant_id: str | None, user_id: str | None) -> str:
        """A short key of the ranking this tenant and user get (for result caches)."""
        weights = self.weights_for(tenant_id, user_id)
        if weights is None:
            return "rank:off"
        return "rank:" + hashlib.sha256(msgspec.json.encode(weights)).hexdigest()[:16]

    @hookimpl
    def rerank(self, request: SearchRequest, hits: list[SearchHit]) -> list[SearchHit] | None:
        """Order the candidates by weighted features (see :mod:`jobforge.core.ranking`)."""
        if not request.query.strip():
            return None  # browsing is newest first by definition
        weights = self.weights_for(request.tenant_id, request.user_id)
        if weights is None:
            return None
        try:
            filters = parse_filters(
                request.filters, now=self.clock.now(), default_currency=self.default_currency
            )
        except InvalidFilterError:
            filters = None
        # Only the requested page is shown: explaining the rest of the window is wasted work.
        return self.reranker.rerank(
            request, hits, filters=filters, weights=weights, explain=request.offset + request.limit
        )
