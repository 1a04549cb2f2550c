"""Fixtures shared by the contract test modules."""

from __future__ import annotations

import pytest

from jobforge.testing.fakes import SecondsClock


@pytest.fixture
def clock() -> SecondsClock:
    return SecondsClock()
