"""Lever applications: key in the query string (never logged), 429 retried, ok=false refused."""

from __future__ import annotations

import logging

import pytest

from jobforge.core.messages import ApplicationSubmission
from jobforge.testing.contracts.ats import AtsContract, make_submission
from jobforge.testing.http_server import LocalHttpServer, Reply, UploadedFile
from jobforge_ats._base import AtsError
from jobforge_ats.lever import LeverAts

from .conftest import FAST

KEY = "lever-key-0a9b8c7d6e"
PATH = "/v0/postings/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1"
OK = Reply(body=b'{"ok": true, "applicationId": "a1b2c3"}', headers={"Content-Type": "application/json"})


def _ats(server: LocalHttpServer, **kwargs: object) -> LeverAts:
    return LeverAts(base_url=server.url, keys={"spotify": KEY}, http=FAST, **kwargs)  # type: ignore[arg-type]


def _submission(**overrides: object) -> ApplicationSubmission:
    return make_submission(
        **{"source": "lever:spotify", "source_id": "2193db3f-77c5-43b8-b030-8f92c9882bf1", **overrides}
    )


def _emails(server: LocalHttpServer) -> list[str]:
    found = []
    for request in server.requests_to(PATH, "POST"):
        is_form = request.headers["content-type"].startswith("multipart/")
        found.append(str(request.form()["email"][0]) if is_form else request.json()["email"])
    return found


class TestLeverAtsContract(AtsContract):
    @pytest.fixture
    def ats(self, server: LocalHttpServer) -> LeverAts:
        server.route(PATH, OK, method="POST")
        return _ats(server)

    @pytest.fixture
    def received(self, server: LocalHttpServer):
        return lambda: _emails(server)

    @pytest.fixture
    def submission(self) -> ApplicationSubmission:
        return _submission()

    @pytest.fixture
    def rejecting_ats(self, server: LocalHttpServer) -> LeverAts:
        server.route(PATH, Reply(body=b'{"ok": false, "error": "Posting is closed"}'), method="POST")
        return _ats(server)


async def test_documented_request_shape(server: LocalHttpServer) -> None:
    server.route(PATH, OK, method="POST")
    submission = _submission(
        answers={"org": "Analytical Engines Ltd", "urls[GitHub]": "https://github.com/ada"}
    )
    receipt = await _ats(server, silent=True).submit(submission)
    assert (receipt.ats, receipt.reference) == ("lever", "a1b2c3")
    (request,) = server.requests_to(PATH, "POST")
    assert request.query == {"key": [KEY]}
    form = request.form()
    assert form["name"] == ["Ada Lovelace"]
    assert form["email"] == ["ada@example.com"]
    assert form["phone"] == ["+44 20 7946 0000"]
    assert form["comments"] == ["I would like to work on the analytical engine."]
    assert form["silent"] == ["true"]
    assert form["source"] == ["jobforge"]
    assert form["org"] == ["Analytical Engines Ltd"]
    assert form["urls[GitHub]"] == ["https://github.com/ada"]
    (resume,) = form["resume"]
    assert isinstance(resume, UploadedFile)
    assert resume.content == submission.resume


async def test_rate_limited_submission_is_retried(server: LocalHttpServer) -> None:
    server.route(PATH, Reply(status=429, headers={"Retry-After": "0"}), OK, method="POST")
    receipt = await _ats(server).submit(_submission())
    assert receipt.reference == "a1b2c3"
    assert len(server.requests_to(PATH)) == 2


async def test_server_error_is_not_retried_to_avoid_duplicates(server: LocalHttpServer) -> None:
    server.route(PATH, Reply(status=500), OK, method="POST")
    with pytest.raises(AtsError, match="HTTP 500"):
        await _ats(server).submit(_submission())
    assert len(server.requests_to(PATH)) == 1


async def test_the_key_never_reaches_logs_or_errors(
    server: LocalHttpServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(
        PATH, Reply(status=503), Reply(status=403, body=b'{"ok": false, "error": "bad key"}'), method="POST"
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AtsError) as caught:
        await _ats(server).submit(_submission())
    assert KEY not in str(caught.value)
    assert KEY not in caplog.text
    assert "key=***" in caplog.text


async def test_eu_instance_and_default_site(server: LocalHttpServer) -> None:
    server.route("/v0/postings/palantir/p-1", OK, method="POST")
    ats = LeverAts(base_url=server.url, keys={"*": KEY}, account="palantir", http=FAST)
    await ats.submit(make_submission(source="palantir-careers", source_id="p-1", resume=None))
    assert server.requests_to("/v0/postings/palantir/p-1")[0].json()["name"] == "Ada Lovelace"
