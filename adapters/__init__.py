"""Built-in adapters, one subpackage per technology, each registered by its plugin module."""
