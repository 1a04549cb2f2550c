"""Recruitee applications: offer slug looked up from the id, candidate[...] fields, open questions."""

from __future__ import annotations

import pytest

from jobforge.core.messages import ApplicationSubmission
from jobforge.testing.contracts.ats import AtsContract, make_submission
from jobforge.testing.http_server import LocalHttpServer, Reply, UploadedFile
from jobforge_ats._base import AtsError
from jobforge_ats.recruitee import RecruiteeAts

from .conftest import FAST

SLUG = "head-of-people-culture"
PATH = f"/api/offers/{SLUG}/candidates"
OFFERS = {"offers": [{"id": 2743511, "slug": SLUG, "title": "Head of People & Culture"}]}
CREATED = Reply(status=201, body=b'{"candidate": {"id": 98765, "name": "Ada Lovelace"}}')


def _ats(server: LocalHttpServer, **kwargs: object) -> RecruiteeAts:
    return RecruiteeAts(base_url=server.url, http=FAST, **kwargs)  # type: ignore[arg-type]


def _submission(**overrides: object) -> ApplicationSubmission:
    return make_submission(**{"source": "recruitee:channable", "source_id": "2743511", **overrides})


class TestRecruiteeAtsContract(AtsContract):
    @pytest.fixture
    def ats(self, server: LocalHttpServer) -> RecruiteeAts:
        server.json("/api/offers/", OFFERS)
        server.route(PATH, CREATED, method="POST")
        return _ats(server)

    @pytest.fixture
    def received(self, server: LocalHttpServer):
        return lambda: [str(r.form()["candidate[email]"][0]) for r in server.requests_to(PATH, "POST")]

    @pytest.fixture
    def submission(self) -> ApplicationSubmission:
        return _submission()

    @pytest.fixture
    def rejecting_ats(self, server: LocalHttpServer) -> RecruiteeAts:
        server.json("/api/offers/", OFFERS)
        server.route(PATH, Reply(status=422, body=b'{"error": ["Email is invalid"]}'), method="POST")
        return _ats(server)


async def test_documented_request_shape(server: LocalHttpServer) -> None:
    server.json("/api/offers/", OFFERS)
    server.route(PATH, CREATED, method="POST")
    ats = _ats(server, keys={"channable": "rt-token"})
    submission = _submission(answers={"4366869": "A friend", "4366871": "Utrecht 🚲", "referrer": "jobforge"})
    receipt = await ats.submit(submission)
    await ats.submit(submission)
    assert (receipt.ats, receipt.reference) == ("recruitee", "98765")
    assert len(server.requests_to("/api/offers/")) == 1  # the slug is cached
    request = server.requests_to(PATH, "POST")[0]
    assert request.headers["authorization"] == "Bearer rt-token"
    form = request.form()
    assert form["candidate[name]"] == ["Ada Lovelace"]
    assert form["candidate[email]"] == ["ada@example.com"]
    assert form["candidate[phone]"] == ["+44 20 7946 0000"]
    assert form["candidate[cover_letter]"] == ["I would like to work on the analytical engine."]
    assert form["candidate[referrer]"] == ["jobforge"]
    assert form["candidate[open_question_answers_attributes][0][open_question_id]"] == ["4366869"]
    assert form["candidate[open_question_answers_attributes][0][content]"] == ["A friend"]
    assert form["candidate[open_question_answers_attributes][1][content]"] == ["Utrecht 🚲"]
    (cv,) = form["candidate[cv]"]
    assert isinstance(cv, UploadedFile)
    assert cv.filename == "ada-lovelace.pdf"


async def test_company_host_template(server: LocalHttpServer) -> None:
    ats = RecruiteeAts(base_url=server.url + "/{company}", http=FAST)
    server.route(f"/channable/api/offers/{SLUG}/candidates", CREATED, method="POST")
    await ats.submit(_submission(source_id=SLUG))  # a slug needs no lookup
    assert server.requests_to(f"/channable/api/offers/{SLUG}/candidates")
    assert server.requests_to("/channable/api/offers/") == []


async def test_a_closed_offer_is_an_error(server: LocalHttpServer) -> None:
    server.json("/api/offers/", {"offers": []})
    with pytest.raises(AtsError, match="offer 2743511 is not published"):
        await _ats(server).submit(_submission())
