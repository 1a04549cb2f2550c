"""The notifier contract suite against the state-recording fake (the plugins run it against real ones)."""

from __future__ import annotations

import pytest

from jobforge.testing.contracts import NotifierContract
from jobforge.testing.fakes import FakeNotifier


class TestFakeNotifier(NotifierContract):
    @pytest.fixture
    def fake(self) -> FakeNotifier:
        return FakeNotifier()

    @pytest.fixture
    def notifier(self, fake: FakeNotifier) -> FakeNotifier:
        return fake

    @pytest.fixture
    def delivered(self, fake: FakeNotifier):
        return lambda: [n.text for n in fake.sent]

    @pytest.fixture
    def failing_notifier(self) -> FakeNotifier:
        return FakeNotifier(fail_times=1)
