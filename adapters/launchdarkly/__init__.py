"""LaunchDarkly feature flags behind the FeatureFlags port.

Importing this package is cheap; ``ldclient`` is imported when the adapter is built.
"""

from jobforge.adapters.launchdarkly.flags import LaunchDarklyFlags

__all__ = ["LaunchDarklyFlags"]
