"""The ATS contract suite against the state-recording fake (the plugins run it against real adapters)."""

from __future__ import annotations

import pytest

from jobforge.testing.contracts import AtsContract
from jobforge.testing.fakes import FakeATS


class TestFakeAts(AtsContract):
    @pytest.fixture
    def fake(self) -> FakeATS:
        return FakeATS()

    @pytest.fixture
    def ats(self, fake: FakeATS) -> FakeATS:
        return fake

    @pytest.fixture
    def received(self, fake: FakeATS):
        return lambda: [s.email for s in fake.submissions]

    @pytest.fixture
    def rejecting_ats(self) -> FakeATS:
        return FakeATS(refuse=True)
