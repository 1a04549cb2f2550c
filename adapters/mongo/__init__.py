"""MongoDB adapters built on Beanie: the ``mongo`` job repository and application-data store.

The classes live in :mod:`jobforge.adapters.mongo.repository` and
:mod:`jobforge.adapters.mongo.store`; importing this package loads no
driver.
"""

__all__: list[str] = []
