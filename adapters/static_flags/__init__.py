"""Feature flags from static configuration (the default)."""
