"""Greenhouse applications: the documented request shape, keys per board, refusals."""

from __future__ import annotations

import base64
import logging

import pytest

from jobforge.core.messages import ApplicationSubmission
from jobforge.testing.contracts.ats import AtsContract, make_submission
from jobforge.testing.http_server import LocalHttpServer, Reply, UploadedFile
from jobforge_ats._base import AtsError
from jobforge_ats.greenhouse import GreenhouseAts

from .conftest import FAST

KEY = "gh-key-4f1c9b2e7d"
PATH = "/v1/boards/acme/jobs/4012345"
OK = Reply(body=b'{"success": "Candidate saved successfully"}', headers={"Content-Type": "application/json"})


def _ats(server: LocalHttpServer, **kwargs: object) -> GreenhouseAts:
    return GreenhouseAts(base_url=server.url, keys={"acme": KEY}, http=FAST, **kwargs)  # type: ignore[arg-type]


def _emails(server: LocalHttpServer) -> list[str]:
    found = []
    for request in server.requests_to(PATH, "POST"):
        if request.headers["content-type"].startswith("multipart/"):
            found.append(str(request.form()["email"][0]))
        else:
            found.append(request.json()["email"])
    return found


class TestGreenhouseAtsContract(AtsContract):
    @pytest.fixture
    def ats(self, server: LocalHttpServer) -> GreenhouseAts:
        server.route(PATH, OK, method="POST")
        return _ats(server)

    @pytest.fixture
    def received(self, server: LocalHttpServer):
        return lambda: _emails(server)

    @pytest.fixture
    def submission(self) -> ApplicationSubmission:
        return make_submission(source="greenhouse:acme", source_id="4012345")

    @pytest.fixture
    def rejecting_ats(self, server: LocalHttpServer) -> GreenhouseAts:
        server.route(
            PATH,
            Reply(status=401, body=b'{"status": 401, "error": "Invalid Basic Auth credentials"}'),
            method="POST",
        )
        return _ats(server)


async def test_multipart_application_with_resume(server: LocalHttpServer) -> None:
    server.route(PATH, OK, method="POST")
    submission = make_submission(
        source="greenhouse:acme",
        source_id="4012345",
        answers={"question_5555": "https://linkedin.com/in/ada"},
    )
    receipt = await _ats(server).submit(submission)
    assert receipt.ats == "greenhouse"
    assert receipt.status == "submitted"
    (request,) = server.requests_to(PATH, "POST")
    assert request.headers["authorization"] == "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    form = request.form()
    assert form["first_name"] == ["Ada"]
    assert form["last_name"] == ["Lovelace"]
    assert form["email"] == ["ada@example.com"]
    assert form["phone"] == ["+44 20 7946 0000"]
    assert form["cover_letter_text"] == ["I would like to work on the analytical engine."]
    assert form["question_5555"] == ["https://linkedin.com/in/ada"]
    (resume,) = form["resume"]
    assert isinstance(resume, UploadedFile)
    assert resume.filename == "ada-lovelace.pdf"
    assert resume.content_type == "application/pdf"
    assert resume.content == submission.resume


async def test_json_application_without_resume(server: LocalHttpServer) -> None:
    server.route(PATH, OK, method="POST")
    bare = make_submission(source="greenhouse:acme", source_id="4012345", resume=None, resume_filename=None)
    await _ats(server).submit(bare)
    (request,) = server.requests_to(PATH, "POST")
    assert request.headers["content-type"] == "application/json"
    assert request.json()["email"] == "ada@example.com"
    assert "resume" not in request.json()


async def test_key_per_board_and_default_key(server: LocalHttpServer) -> None:
    server.route("/v1/boards/beta/jobs/7", OK, method="POST")
    ats = GreenhouseAts(base_url=server.url, keys={"acme": KEY, "*": "fallback-key"}, http=FAST)
    await ats.submit(make_submission(source="greenhouse:beta", source_id="7"))
    (request,) = server.requests_to("/v1/boards/beta/jobs/7")
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"fallback-key:").decode()


async def test_no_key_for_the_board_is_an_error_naming_the_board(server: LocalHttpServer) -> None:
    with pytest.raises(AtsError, match="no API key is configured for account 'beta'"):
        await _ats(server).submit(make_submission(source="greenhouse:beta", source_id="7"))
    assert server.requests == []


async def test_refusal_carries_the_reason_but_never_the_key(
    server: LocalHttpServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(PATH, Reply(status=400, body=b'{"error": "email is invalid"}'), method="POST")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AtsError) as caught:
        await _ats(server).submit(make_submission(source="greenhouse:acme", source_id="4012345"))
    assert "HTTP 400" in str(caught.value)
    assert "email is invalid" in str(caught.value)
    assert KEY not in str(caught.value)
    assert KEY not in caplog.text
    assert KEY not in repr(_ats(server))
