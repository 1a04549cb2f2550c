"""The contract every :class:`~jobforge.ports.SearchIndex` adapter passes.

Subclass :class:`SearchIndexContract` and override the ``search_index``
fixture to yield a fresh, empty index::

    class TestMyIndex(SearchIndexContract):
        @pytest.fixture
        async def search_index(self, tmp_path):
            index = MyIndex(tmp_path)
            yield index
            await index.close()

The tests follow the semantics documented on
:class:`~jobforge.core.search_types.IndexQuery` and
:class:`~jobforge.core.search_types.SearchFilters`. They never depend on
BM25 constants or on stemming: keyword rankings are asserted only where any
BM25 must agree (more occurrences of a term in equally long texts, or
identical texts), and query words appear verbatim in the texts they match.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest

from jobforge.core.models import (
    EmploymentType,
    Job,
    Location,
    Salary,
    Seniority,
    SourceRef,
    WorkplaceType,
)
from jobforge.core.search_types import (
    IndexDocument,
    IndexQuery,
    IndexResult,
    SearchFilters,
    SearchMode,
)
from jobforge.ports import SearchIndex
from jobforge.testing.factories import make_job, make_vector

__all__ = ["SearchIndexContract"]

_T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
_DIM = 4
"""Vector dimension of the contract's documents."""
_AXIS = {"x": [1.0, 0.0, 0.0, 0.0], "y": [0.0, 1.0, 0.0, 0.0], "z": [0.0, 0.0, 1.0, 0.0]}


def _doc(job: Job, vector: Sequence[float] | None = None) -> IndexDocument:
    return IndexDocument(job=job, vector=list(vector) if vector is not None else make_vector(job.id, _DIM))


def _plain_job(job_id: str, **fields: Any) -> Job:
    """A job whose indexed text holds only neutral filler words unless given."""
    defaults: dict[str, Any] = {
        "id": job_id,
        "title": "Associate",
        "company": "Filler Corp",
        "skills": [],
        "description": "General duties and responsibilities.",
        "locations": [Location(city="Springfield", region="IL", country="US", text="Springfield, IL")],
    }
    defaults.update(fields)
    return make_job(**defaults)


def _ids(result: IndexResult) -> list[str]:
    return [hit.job_id for hit in result.hits]


def _rrf(rrf_k: int, *ranks: int | None) -> float:
    return sum(1.0 / (rrf_k + rank) for rank in ranks if rank is not None)


class SearchIndexContract:
    """Behaviour shared by every search index; subclass and override ``search_index``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def search_index(self) -> AsyncIterator[SearchIndex]:
        """Yield a fresh, empty index and close it afterwards (override this)."""
        raise NotImplementedError("override the `search_index` fixture to yield an empty SearchIndex")
        yield  # pragma: no cover  # noqa: PT022 - a generator, like the fixtures that override it

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    async def browse(index: SearchIndex, limit: int = 100, **filters: Any) -> IndexResult:
        """All jobs passing ``filters``, newest first."""
        return await index.search(IndexQuery(filters=SearchFilters(**filters), limit=limit))

    async def browse_ids(self, index: SearchIndex, **filters: Any) -> set[str]:
        """Ids of the jobs passing ``filters``."""
        result = await self.browse(index, **filters)
        assert result.total == len(result.hits)
        return set(_ids(result))

    # --- writes -------------------------------------------------------------------------

    async def test_implements_the_port(self, search_index: SearchIndex) -> None:
        """The adapter satisfies the runtime-checkable ``SearchIndex`` protocol."""
        assert isinstance(search_index, SearchIndex)

    async def test_empty_index(self, search_index: SearchIndex) -> None:
        """A fresh index counts zero, finds nothing and still reports every facet key."""
        assert await search_index.count() == 0
        browse = await search_index.search(IndexQuery())
        assert (browse.hits, browse.total) == ([], 0)
        found = await search_index.search(IndexQuery(text="python", vector=make_vector("q", _DIM)))
        assert (found.hits, found.total) == ([], 0)
        assert set(found.facets) == {"workplace_type", "employment_type", "company"}
        assert all(counts == {} for counts in found.facets.values())

    async def test_upsert_and_count(self, search_index: SearchIndex) -> None:
        """Upserted documents are counted and browsable; an empty upsert changes nothing."""
        await search_index.upsert([_doc(make_job(id=f"job-{i}")) for i in range(5)])
        assert await search_index.count() == 5
        await search_index.upsert([])
        assert await search_index.count() == 5
        assert await self.browse_ids(search_index) == {f"job-{i}" for i in range(5)}

    async def test_upsert_of_an_existing_id_replaces_it(self, search_index: SearchIndex) -> None:
        """Re-upserting an id replaces its text, vector and fields: nothing stale is found."""
        old = _plain_job("job-1", title="Python Developer", description="Django and Flask.")
        await search_index.upsert([_doc(old, _AXIS["x"]), _doc(_plain_job("job-2"), _AXIS["z"])])
        new = _plain_job("job-1", title="Night Nurse", description="Ward rounds.", company="Mercy")
        await search_index.upsert([_doc(new, _AXIS["y"])])

        assert await search_index.count() == 2
        stale = await search_index.search(IndexQuery(text="python django", mode=SearchMode.KEYWORD))
        assert stale.total == 0
        fresh = await search_index.search(IndexQuery(text="nurse", mode=SearchMode.KEYWORD))
        assert _ids(fresh) == ["job-1"]
        near_old = await search_index.search(
            IndexQuery(text="q", vector=_AXIS["x"], mode=SearchMode.VECTOR, min_similarity=0.5)
        )
        assert near_old.total == 0
        near_new = await search_index.search(
            IndexQuery(text="q", vector=_AXIS["y"], mode=SearchMode.VECTOR, min_similarity=0.5)
        )
        assert _ids(near_new) == ["job-1"]
        assert near_new.hits[0].vector_score == pytest.approx(1.0, abs=1e-4)
        browse = await self.browse(search_index, companies=("Mercy",))
        assert _ids(browse) == ["job-1"]

    async def test_the_last_duplicate_in_a_batch_wins(self, search_index: SearchIndex) -> None:
        """A batch is applied in order, so a repeated id keeps its last version."""
        first = _plain_job("dup", title="Welder")
        second = _plain_job("dup", title="Baker")
        await search_index.upsert([_doc(first), _doc(second)])
        assert await search_index.count() == 1
        assert (await search_index.search(IndexQuery(text="welder", mode=SearchMode.KEYWORD))).total == 0
        assert _ids(await search_index.search(IndexQuery(text="baker", mode=SearchMode.KEYWORD))) == ["dup"]

    async def test_delete(self, search_index: SearchIndex) -> None:
        """Deleted jobs disappear from count, browsing and both retrievers; unknown ids are ignored."""
        jobs = [_plain_job(f"job-{i}", title=f"Gardener {i}") for i in range(4)]
        await search_index.upsert([_doc(job) for job in jobs])
        await search_index.delete(["job-1", "job-3", "never-indexed"])
        assert await search_index.count() == 2
        assert await self.browse_ids(search_index) == {"job-0", "job-2"}
        found = await search_index.search(IndexQuery(text="gardener", mode=SearchMode.KEYWORD))
        assert sorted(_ids(found)) == ["job-0", "job-2"]
        near = await search_index.search(
            IndexQuery(
                text="q", vector=make_vector("job-1", _DIM), mode=SearchMode.VECTOR, min_similarity=-1.0
            )
        )
        assert "job-1" not in _ids(near)
        await search_index.delete([])
        assert await search_index.count() == 2

    async def test_deleted_then_reinserted(self, search_index: SearchIndex) -> None:
        """An id deleted and upserted again is found by its new text only."""
        await search_index.upsert([_doc(_plain_job("job-1", title="Baker"))])
        await search_index.delete(["job-1"])
        await search_index.upsert([_doc(_plain_job("job-1", title="Welder"))])
        assert await search_index.count() == 1
        assert _ids(await search_index.search(IndexQuery(text="welder", mode=SearchMode.KEYWORD))) == [
            "job-1"
        ]
        assert (await search_index.search(IndexQuery(text="baker", mode=SearchMode.KEYWORD))).total == 0

    async def test_vector_dimension_is_fixed(self, search_index: SearchIndex) -> None:
        """The first vector fixes the dimension; other sizes are ValueErrors naming both sizes."""
        await search_index.upsert([_doc(make_job(id="eight"), make_vector("a", 8))])
        with pytest.raises(ValueError, match=r"(?s)(4.*8|8.*4)"):
            await search_index.upsert([_doc(make_job(id="four"), make_vector("b", 4))])
        assert await search_index.count() == 1
        with pytest.raises(ValueError, match=r"(?s)(4.*8|8.*4)"):
            await search_index.search(IndexQuery(text="data", vector=make_vector("q", 4)))

    # --- browsing -----------------------------------------------------------------------

    async def test_browse_is_newest_first_undated_last_ties_by_id(self, search_index: SearchIndex) -> None:
        """Empty text browses: newest first, undated last, ties by id, score 0."""
        jobs = [
            _plain_job("b-old", posted_at=_T0 - timedelta(days=3)),
            _plain_job("c-new", posted_at=_T0),
            _plain_job("a-new", posted_at=_T0),
            _plain_job("z-undated", posted_at=None),
            _plain_job("y-undated", posted_at=None),
            _plain_job("d-mid", posted_at=_T0 - timedelta(hours=1)),
        ]
        await search_index.upsert([_doc(job) for job in jobs])
        result = await self.browse(search_index)
        assert _ids(result) == ["a-new", "c-new", "d-mid", "b-old", "y-undated", "z-undated"]
        assert result.total == 6
        assert all(hit.score == 0.0 for hit in result.hits)

    async def test_browse_pagination(self, search_index: SearchIndex) -> None:
        """Browse pages concatenate to the full order; an offset past the end gives no hits."""
        jobs = [_plain_job(f"job-{i:02d}", posted_at=_T0 - timedelta(hours=i % 5)) for i in range(11)]
        await search_index.upsert([_doc(job) for job in jobs])
        full = _ids(await self.browse(search_index))
        pages = []
        for offset in range(0, 12, 4):
            page = await search_index.search(IndexQuery(limit=4, offset=offset))
            assert page.total == 11
            pages.extend(_ids(page))
        assert pages == full
        assert len(set(full)) == 11
        beyond = await search_index.search(IndexQuery(limit=4, offset=50))
        assert (beyond.hits, beyond.total) == ([], 11)

    # --- filters ------------------------------------------------------------------------

    async def test_filter_workplace_types(self, search_index: SearchIndex) -> None:
        """``workplace_types`` keeps jobs of any listed type."""
        await search_index.upsert(
            [
                _doc(_plain_job("remote", workplace_type=WorkplaceType.REMOTE)),
                _doc(_plain_job("hybrid", workplace_type=WorkplaceType.HYBRID)),
                _doc(_plain_job("onsite", workplace_type=WorkplaceType.ONSITE)),
                _doc(_plain_job("unknown", workplace_type=WorkplaceType.UNKNOWN)),
            ]
        )
        assert await self.browse_ids(search_index, workplace_types=(WorkplaceType.REMOTE,)) == {"remote"}
        both = await self.browse_ids(
            search_index, workplace_types=(WorkplaceType.REMOTE, WorkplaceType.HYBRID)
        )
        assert both == {"remote", "hybrid"}

    async def test_filter_location_is_a_case_insensitive_substring(self, search_index: SearchIndex) -> None:
        """``location`` is a case-insensitive substring of any location part."""
        await search_index.upsert(
            [
                _doc(_plain_job("austin", locations=[Location(city="Austin", region="TX", country="US")])),
                _doc(_plain_job("text-only", locations=[Location(text="Greater Austin Area")])),
                _doc(
                    _plain_job(
                        "two-places",
                        locations=[
                            Location(city="Berlin", country="DE"),
                            Location(city="München", region="Bavaria", country="DE"),
                        ],
                    )
                ),
                _doc(_plain_job("nowhere", locations=[])),
            ]
        )
        assert await self.browse_ids(search_index, location="AUST") == {"austin", "text-only"}
        assert await self.browse_ids(search_index, location="tx") == {"austin"}
        assert await self.browse_ids(search_index, location="münchen") == {"two-places"}
        assert await self.browse_ids(search_index, location="bavaria") == {"two-places"}
        assert await self.browse_ids(search_index, location="de") == {"two-places"}
        assert await self.browse_ids(search_index, location="Paris") == set()

    async def test_filter_countries_match_any_location(self, search_index: SearchIndex) -> None:
        """``countries`` keeps jobs with any location in a listed country."""
        await search_index.upsert(
            [
                _doc(_plain_job("us", locations=[Location(city="Austin", country="US")])),
                _doc(
                    _plain_job(
                        "us-and-de",
                        locations=[
                            Location(city="Boston", country="US"),
                            Location(city="Berlin", country="DE"),
                        ],
                    )
                ),
                _doc(_plain_job("fr", locations=[Location(city="Paris", country="FR")])),
                _doc(_plain_job("unknown", locations=[Location(text="Anywhere")])),
            ]
        )
        assert await self.browse_ids(search_index, countries=("DE",)) == {"us-and-de"}
        assert await self.browse_ids(search_index, countries=("US",)) == {"us", "us-and-de"}
        assert await self.browse_ids(search_index, countries=("FR", "DE")) == {"fr", "us-and-de"}
        assert await self.browse_ids(search_index, countries=("JP",)) == set()

    async def test_filter_salary_min_in_a_currency(self, search_index: SearchIndex) -> None:
        """``salary_min`` compares the annual max (else min) in the same currency only."""

        def paid(job_id: str, **salary: Any) -> IndexDocument:
            return _doc(_plain_job(job_id, salary=Salary(**salary)))

        await search_index.upsert(
            [
                paid("usd-range", annual_min=100_000, annual_max=150_000, currency="USD"),
                paid("usd-min-only", annual_min=110_000, currency="USD"),
                paid("usd-low", annual_min=50_000, annual_max=70_000, currency="USD"),
                paid("eur-high", annual_min=200_000, annual_max=250_000, currency="EUR"),
                paid("no-annual", currency="USD", text="competitive"),
                _doc(_plain_job("no-salary", salary=None)),
            ]
        )
        usd = {"salary_currency": "USD"}
        assert await self.browse_ids(search_index, salary_min=120_000, **usd) == {"usd-range"}
        assert await self.browse_ids(search_index, salary_min=110_000, **usd) == {"usd-range", "usd-min-only"}
        assert await self.browse_ids(search_index, salary_min=150_000, **usd) == {"usd-range"}
        assert await self.browse_ids(search_index, salary_min=150_001, **usd) == set()
        assert await self.browse_ids(search_index, salary_min=0, **usd) == {
            "usd-range",
            "usd-min-only",
            "usd-low",
        }
        assert await self.browse_ids(search_index, salary_min=100_000, salary_currency="EUR") == {"eur-high"}
        currency_only = await self.browse_ids(search_index, salary_currency="USD")
        assert currency_only == {"usd-range", "usd-min-only", "usd-low"}

    async def test_salary_min_without_currency_is_an_error(self, search_index: SearchIndex) -> None:
        """``salary_min`` without ``salary_currency`` is rejected, not guessed."""
        await search_index.upsert([_doc(_plain_job("job-1"))])
        with pytest.raises(ValueError, match="salary_currency"):
            await self.browse(search_index, salary_min=1000)

    async def test_filter_employment_types_and_seniorities(self, search_index: SearchIndex) -> None:
        """``employment_types`` and ``seniorities`` keep jobs with a listed value."""
        await search_index.upsert(
            [
                _doc(
                    _plain_job(
                        "ft-senior", employment_type=EmploymentType.FULL_TIME, seniority=Seniority.SENIOR
                    )
                ),
                _doc(
                    _plain_job(
                        "ft-junior", employment_type=EmploymentType.FULL_TIME, seniority=Seniority.JUNIOR
                    )
                ),
                _doc(
                    _plain_job(
                        "contract-senior", employment_type=EmploymentType.CONTRACT, seniority=Seniority.SENIOR
                    )
                ),
                _doc(
                    _plain_job(
                        "intern", employment_type=EmploymentType.INTERNSHIP, seniority=Seniority.INTERN
                    )
                ),
            ]
        )
        full_time = await self.browse_ids(search_index, employment_types=(EmploymentType.FULL_TIME,))
        assert full_time == {"ft-senior", "ft-junior"}
        contract_or_intern = await self.browse_ids(
            search_index, employment_types=(EmploymentType.CONTRACT, EmploymentType.INTERNSHIP)
        )
        assert contract_or_intern == {"contract-senior", "intern"}
        assert await self.browse_ids(search_index, seniorities=(Seniority.SENIOR,)) == {
            "ft-senior",
            "contract-senior",
        }
        assert await self.browse_ids(search_index, seniorities=(Seniority.LEAD,)) == set()

    async def test_filter_posted_after_is_inclusive_and_drops_undated(
        self, search_index: SearchIndex
    ) -> None:
        """``posted_after`` includes the instant itself and drops undated jobs."""
        await search_index.upsert(
            [
                _doc(_plain_job("at", posted_at=_T0)),
                _doc(_plain_job("after", posted_at=_T0 + timedelta(seconds=1))),
                _doc(_plain_job("before", posted_at=_T0 - timedelta(seconds=1))),
                _doc(_plain_job("undated", posted_at=None)),
            ]
        )
        assert await self.browse_ids(search_index, posted_after=_T0) == {"at", "after"}
        assert await self.browse_ids(search_index, posted_after=_T0 - timedelta(days=1)) == {
            "at",
            "after",
            "before",
        }

    async def test_filter_companies_case_insensitive_exact(self, search_index: SearchIndex) -> None:
        """``companies``/``exclude_companies`` match whole names, ignoring case."""
        await search_index.upsert(
            [
                _doc(_plain_job("acme", company="Acme Analytics")),
                _doc(_plain_job("acme-upper", company="ACME ANALYTICS")),
                _doc(_plain_job("acme-ltd", company="Acme Analytics Ltd")),
                _doc(_plain_job("globex", company="Globex")),
            ]
        )
        assert await self.browse_ids(search_index, companies=("acme analytics",)) == {"acme", "acme-upper"}
        assert await self.browse_ids(search_index, companies=("Acme",)) == set()
        assert await self.browse_ids(search_index, companies=("globex", "Acme Analytics Ltd")) == {
            "globex",
            "acme-ltd",
        }
        excluded = await self.browse_ids(search_index, exclude_companies=("ACME analytics",))
        assert excluded == {"acme-ltd", "globex"}
        both = await self.browse_ids(
            search_index, companies=("acme analytics", "globex"), exclude_companies=("Globex",)
        )
        assert both == {"acme", "acme-upper"}

    async def test_filter_sources_match_any_of_the_jobs_sources(self, search_index: SearchIndex) -> None:
        """``sources`` keeps jobs seen on any listed source."""

        def seen_on(job_id: str, *names: str) -> IndexDocument:
            refs = [SourceRef(source=name, source_id=job_id) for name in names]
            return _doc(_plain_job(job_id, source=names[0], source_id=job_id, sources=refs))

        await search_index.upsert(
            [
                seen_on("gh", "greenhouse"),
                seen_on("gh-lever", "greenhouse", "lever"),
                seen_on("indeed", "indeed"),
            ]
        )
        assert await self.browse_ids(search_index, sources=("lever",)) == {"gh-lever"}
        assert await self.browse_ids(search_index, sources=("greenhouse",)) == {"gh", "gh-lever"}
        assert await self.browse_ids(search_index, sources=("indeed", "lever")) == {"indeed", "gh-lever"}
        assert await self.browse_ids(search_index, sources=("workday",)) == set()

    async def test_filters_combine_with_and(self, search_index: SearchIndex) -> None:
        """Several filters must all pass."""
        usd = Salary(annual_min=130_000, annual_max=160_000, currency="USD")
        await search_index.upsert(
            [
                _doc(_plain_job("match", workplace_type=WorkplaceType.REMOTE, salary=usd, company="Initech")),
                _doc(
                    _plain_job("onsite", workplace_type=WorkplaceType.ONSITE, salary=usd, company="Initech")
                ),
                _doc(
                    _plain_job("unpaid", workplace_type=WorkplaceType.REMOTE, salary=None, company="Initech")
                ),
                _doc(
                    _plain_job("other-co", workplace_type=WorkplaceType.REMOTE, salary=usd, company="Hooli")
                ),
            ]
        )
        ids = await self.browse_ids(
            search_index,
            workplace_types=(WorkplaceType.REMOTE,),
            salary_min=120_000,
            salary_currency="USD",
            companies=("initech",),
        )
        assert ids == {"match"}

    async def test_filters_apply_to_both_retrievers(self, search_index: SearchIndex) -> None:
        """Filters are exact for keyword and vector candidates alike."""
        await search_index.upsert(
            [
                _doc(_plain_job("remote-kw", title="Kotlin Developer", workplace_type=WorkplaceType.REMOTE)),
                _doc(_plain_job("onsite-kw", title="Kotlin Developer", workplace_type=WorkplaceType.ONSITE)),
                _doc(_plain_job("remote-vec", workplace_type=WorkplaceType.REMOTE), _AXIS["x"]),
                _doc(_plain_job("onsite-vec", workplace_type=WorkplaceType.ONSITE), _AXIS["x"]),
            ]
        )
        query = IndexQuery(
            text="kotlin",
            vector=_AXIS["x"],
            filters=SearchFilters(workplace_types=(WorkplaceType.REMOTE,)),
            min_similarity=0.5,
        )
        result = await search_index.search(query)
        assert set(_ids(result)) == {"remote-kw", "remote-vec"}
        assert result.total == 2

    # --- keyword retriever ----------------------------------------------------------------

    async def test_keyword_mode_returns_jobs_with_any_query_term(self, search_index: SearchIndex) -> None:
        """Keyword mode returns every job containing a query term in any indexed field."""
        await search_index.upsert(
            [
                _doc(_plain_job("both", title="Kubernetes Terraform Engineer")),
                _doc(_plain_job("one", title="Kubernetes Platform Engineer")),
                _doc(_plain_job("skill", skills=["terraform"])),
                _doc(_plain_job("desc", description="We deploy with kubernetes daily.")),
                _doc(_plain_job("company", company="Terraform Labs")),
                _doc(_plain_job("place", locations=[Location(city="Kubernetes City")])),
                _doc(_plain_job("none", title="Pastry Chef")),
            ]
        )
        result = await search_index.search(IndexQuery(text="kubernetes terraform", mode=SearchMode.KEYWORD))
        assert set(_ids(result)) == {"both", "one", "skill", "desc", "company", "place"}
        assert result.total == 6
        assert _ids(result)[0] == "both"
        for rank, hit in enumerate(result.hits, start=1):
            assert hit.keyword_rank == rank
            assert hit.keyword_score is not None
            assert hit.keyword_score > 0
            assert (hit.vector_score, hit.vector_rank) == (None, None)
            assert hit.score == pytest.approx(_rrf(60, rank))
        scores = [hit.keyword_score or 0.0 for hit in result.hits]
        assert scores == sorted(scores, reverse=True)

    async def test_keyword_more_occurrences_rank_higher(self, search_index: SearchIndex) -> None:
        """Of two equally long texts, the one repeating the term ranks first."""
        await search_index.upsert(
            [
                _doc(_plain_job("twice", title="Zebra Zebra Keeper")),
                _doc(_plain_job("once", title="Zebra Park Keeper")),
            ]
        )
        result = await search_index.search(IndexQuery(text="zebra", mode=SearchMode.KEYWORD))
        assert _ids(result) == ["twice", "once"]

    async def test_keyword_ties_rank_by_id(self, search_index: SearchIndex) -> None:
        """Identical texts rank by id."""
        await search_index.upsert(
            [_doc(_plain_job(job_id, title="Harpist")) for job_id in ("m", "c", "x", "a")]
        )
        result = await search_index.search(IndexQuery(text="harpist", mode=SearchMode.KEYWORD))
        assert _ids(result) == ["a", "c", "m", "x"]

    async def test_keyword_matching_ignores_case(self, search_index: SearchIndex) -> None:
        """Keyword matching is case-insensitive."""
        await search_index.upsert([_doc(_plain_job("job-1", title="PYTHON Developer"))])
        result = await search_index.search(IndexQuery(text="Python", mode=SearchMode.KEYWORD))
        assert _ids(result) == ["job-1"]

    async def test_text_without_terms_matches_nothing(self, search_index: SearchIndex) -> None:
        """Text with no word characters ranks (it is not browsing) and finds nothing."""
        await search_index.upsert([_doc(_plain_job("job-1"))])
        result = await search_index.search(IndexQuery(text="?!", mode=SearchMode.KEYWORD))
        assert (result.hits, result.total) == ([], 0)

    async def test_keyword_mode_needs_no_vector_and_other_modes_do(self, search_index: SearchIndex) -> None:
        """Only keyword mode runs without a query vector."""
        await search_index.upsert([_doc(_plain_job("job-1", title="Welder"))])
        found = await search_index.search(IndexQuery(text="welder", mode=SearchMode.KEYWORD, vector=None))
        assert _ids(found) == ["job-1"]
        with pytest.raises(ValueError, match="vector"):
            await search_index.search(IndexQuery(text="welder", mode=SearchMode.HYBRID, vector=None))
        with pytest.raises(ValueError, match="vector"):
            await search_index.search(IndexQuery(text="welder", mode=SearchMode.VECTOR, vector=None))

    # --- vector retriever -----------------------------------------------------------------

    async def test_vector_mode_ranks_by_cosine(self, search_index: SearchIndex) -> None:
        """Vector mode ranks by cosine (of unnormalised vectors too) above ``min_similarity``."""
        await search_index.upsert(
            [
                _doc(_plain_job("exact"), [2.0, 0.0, 0.0, 0.0]),
                _doc(_plain_job("close"), [0.9, 0.1, 0.0, 0.0]),
                _doc(_plain_job("far"), [0.5, 0.5, 0.5, 0.0]),
                _doc(_plain_job("orthogonal"), [0.0, 0.0, 0.0, 1.0]),
                _doc(_plain_job("opposite"), [-1.0, 0.0, 0.0, 0.0]),
            ]
        )
        result = await search_index.search(
            IndexQuery(
                text="anything", vector=[3.0, 0.0, 0.0, 0.0], mode=SearchMode.VECTOR, min_similarity=0.25
            )
        )
        assert _ids(result) == ["exact", "close", "far"]
        assert result.total == 3
        expected = [1.0, 0.9 / (0.82**0.5), 0.5 / (0.75**0.5)]
        for rank, (hit, cosine) in enumerate(zip(result.hits, expected, strict=True), start=1):
            assert hit.vector_score == pytest.approx(cosine, abs=1e-4)
            assert hit.vector_rank == rank
            assert (hit.keyword_score, hit.keyword_rank) == (None, None)
            assert hit.matched_terms == ()
            assert hit.score == pytest.approx(_rrf(60, rank))

    async def test_vector_mode_ignores_text(self, search_index: SearchIndex) -> None:
        """In vector mode the text only selects ranking; it does not match."""
        await search_index.upsert([_doc(_plain_job("words", title="Glassblower"), _AXIS["y"])])
        result = await search_index.search(
            IndexQuery(text="glassblower", vector=_AXIS["x"], mode=SearchMode.VECTOR)
        )
        assert result.total == 0

    async def test_min_similarity_and_vector_candidates(self, search_index: SearchIndex) -> None:
        """``min_similarity`` and ``vector_candidates`` bound the vector candidates."""
        vectors = {f"v{i}": [1.0, i / 4, 0.0, 0.0] for i in range(8)}
        await search_index.upsert([_doc(_plain_job(job_id), vector) for job_id, vector in vectors.items()])
        query = IndexQuery(text="q", vector=_AXIS["x"], mode=SearchMode.VECTOR, min_similarity=-1.0)
        assert _ids(await search_index.search(query)) == [f"v{i}" for i in range(8)]
        limited = await search_index.search(msgspec.structs.replace(query, vector_candidates=3))
        assert (_ids(limited), limited.total) == (["v0", "v1", "v2"], 3)
        cosine_of_v4 = 1.0 / (2.0**0.5)
        at_least = await search_index.search(
            msgspec.structs.replace(query, min_similarity=cosine_of_v4 - 1e-3)
        )
        assert _ids(at_least) == ["v0", "v1", "v2", "v3", "v4"]
        none = await search_index.search(msgspec.structs.replace(query, vector_candidates=0))
        assert none.total == 0

    async def test_vector_ties_rank_by_id(self, search_index: SearchIndex) -> None:
        """Equally similar jobs rank by id."""
        await search_index.upsert([_doc(_plain_job(job_id), _AXIS["x"]) for job_id in ("k", "b", "t")])
        result = await search_index.search(IndexQuery(text="q", vector=_AXIS["x"], mode=SearchMode.VECTOR))
        assert _ids(result) == ["b", "k", "t"]

    # --- hybrid fusion --------------------------------------------------------------------

    async def test_hybrid_fuses_with_reciprocal_ranks(self, search_index: SearchIndex) -> None:
        """Hybrid scores are RRF sums over the retrievers that returned a job; ties by id."""
        await search_index.upsert(
            [
                _doc(_plain_job("a-both", title="Zebra Zebra Keeper"), _AXIS["x"]),
                _doc(_plain_job("b-keyword", title="Zebra Park Keeper"), _AXIS["y"]),
                _doc(_plain_job("c-vector", title="Lion Park Keeper"), [0.9, 0.0, 0.1, 0.0]),
                _doc(_plain_job("d-neither", title="Lion Park Keeper"), _AXIS["z"]),
            ]
        )
        for rrf_k in (60, 1):
            result = await search_index.search(
                IndexQuery(text="zebra", vector=_AXIS["x"], min_similarity=0.5, rrf_k=rrf_k)
            )
            assert _ids(result) == ["a-both", "b-keyword", "c-vector"]
            assert result.total == 3
            both, keyword, vector = result.hits
            assert (both.keyword_rank, both.vector_rank) == (1, 1)
            assert both.score == pytest.approx(_rrf(rrf_k, 1, 1))
            assert (keyword.keyword_rank, keyword.vector_rank, keyword.vector_score) == (2, None, None)
            assert keyword.score == pytest.approx(_rrf(rrf_k, 2))
            assert (vector.keyword_rank, vector.keyword_score, vector.vector_rank) == (None, None, 2)
            assert vector.score == pytest.approx(_rrf(rrf_k, 2))
            assert both.matched_terms == ("zebra",)
            assert vector.matched_terms == ()

    async def test_hybrid_rewards_agreement(self, search_index: SearchIndex) -> None:
        """A job ranked well by both retrievers beats single-retriever winners."""
        # "agree" is 2nd in both rankings; the single-retriever winners are 1st in one only.
        await search_index.upsert(
            [
                _doc(_plain_job("kw-top", title="Otter Otter Otter Warden"), _AXIS["z"]),
                _doc(_plain_job("agree", title="Otter Otter Seal Warden"), [0.95, 0.0, 0.31, 0.0]),
                _doc(_plain_job("vec-top", title="Seal Seal Seal Warden"), _AXIS["x"]),
                _doc(_plain_job("low", title="Otter Seal Seal Warden"), _AXIS["y"]),
            ]
        )
        result = await search_index.search(IndexQuery(text="otter", vector=_AXIS["x"], min_similarity=0.5))
        assert _ids(result)[0] == "agree"
        assert set(_ids(result)) == {"kw-top", "agree", "vec-top", "low"}

    # --- totals, facets, pagination -------------------------------------------------------

    async def _facet_corpus(self, index: SearchIndex) -> None:
        workplaces = [WorkplaceType.REMOTE, WorkplaceType.REMOTE, WorkplaceType.HYBRID, WorkplaceType.ONSITE]
        companies = ["Globex", "Initech", "Globex", "Acme", "Hooli"]
        jobs = [
            _plain_job(
                f"job-{i:02d}",
                title="Plumber" if i < 25 else "Painter",
                description=f"Fixing pipes, job number {i}." if i < 25 else "Walls.",
                workplace_type=workplaces[i % 4],
                employment_type=EmploymentType.CONTRACT if i % 5 == 0 else EmploymentType.FULL_TIME,
                company=companies[i % 5],
                posted_at=_T0 - timedelta(hours=i),
            )
            for i in range(30)
        ]
        await index.upsert([_doc(job) for job in jobs])

    async def test_total_and_facets_count_all_candidates(self, search_index: SearchIndex) -> None:
        """``total`` and facets count every candidate, not just the page."""
        await self._facet_corpus(search_index)
        result = await search_index.search(IndexQuery(text="plumber", mode=SearchMode.KEYWORD, limit=5))
        assert len(result.hits) == 5
        assert result.total == 25
        assert result.facets["workplace_type"] == {"remote": 13, "hybrid": 6, "onsite": 6}
        assert list(result.facets["workplace_type"]) == ["remote", "hybrid", "onsite"]
        assert result.facets["employment_type"] == {"full_time": 20, "contract": 5}
        assert result.facets["company"] == {"Globex": 10, "Acme": 5, "Hooli": 5, "Initech": 5}
        assert list(result.facets["company"]) == ["Globex", "Acme", "Hooli", "Initech"]

    async def test_facet_limit_keeps_the_top_values_ties_by_value(self, search_index: SearchIndex) -> None:
        """``facet_limit`` keeps the most frequent values, ties by value."""
        await self._facet_corpus(search_index)
        result = await search_index.search(IndexQuery(facet_limit=2, limit=1))
        assert result.total == 30
        assert result.facets["company"] == {"Globex": 12, "Acme": 6}
        assert list(result.facets["workplace_type"]) == ["remote", "hybrid"]

    async def test_browse_facets_respect_filters(self, search_index: SearchIndex) -> None:
        """Browse facets count the filtered jobs."""
        await self._facet_corpus(search_index)
        result = await self.browse(search_index, limit=3, workplace_types=(WorkplaceType.REMOTE,))
        assert result.total == 16
        assert result.facets["workplace_type"] == {"remote": 16}
        assert sum(result.facets["employment_type"].values()) == 16

    @pytest.mark.parametrize("mode", [SearchMode.KEYWORD, SearchMode.VECTOR, SearchMode.HYBRID])
    async def test_pages_concatenate_to_the_full_ranking(
        self, search_index: SearchIndex, mode: SearchMode
    ) -> None:
        """Pages concatenate to the full ranking without repeats, in every mode."""
        await self._facet_corpus(search_index)
        base = IndexQuery(
            text="plumber pipes", vector=make_vector("query", _DIM), mode=mode, min_similarity=-1.0
        )
        full = await search_index.search(msgspec.structs.replace(base, limit=100))
        assert full.total == len(full.hits) > 10
        pages: list[str] = []
        for offset in range(0, full.total + 3, 7):
            page = await search_index.search(msgspec.structs.replace(base, limit=7, offset=offset))
            assert page.total == full.total
            assert page.facets == full.facets
            pages.extend(_ids(page))
        assert pages == _ids(full)
        assert len(set(pages)) == len(pages)
        assert [h.score for h in full.hits] == sorted((h.score for h in full.hits), reverse=True)

    async def test_negative_limit_or_offset_is_an_error(self, search_index: SearchIndex) -> None:
        """A negative limit or offset is a ValueError naming it."""
        with pytest.raises(ValueError, match="offset"):
            await search_index.search(IndexQuery(offset=-1))
        with pytest.raises(ValueError, match="limit"):
            await search_index.search(IndexQuery(limit=-1))

    # --- explanations ---------------------------------------------------------------------

    async def test_matched_terms_are_the_query_words_found(self, search_index: SearchIndex) -> None:
        """``matched_terms`` lists the query words (as written, once each) a job contains."""
        await search_index.upsert(
            [
                _doc(_plain_job("py", title="Python Developer", skills=["django"])),
                _doc(_plain_job("both", title="Python Developer", description="We use Kubernetes.")),
                _doc(_plain_job("vec-only", title="Pastry Chef"), _AXIS["x"]),
            ]
        )
        result = await search_index.search(
            IndexQuery(text="Python kubernetes unicorn python", vector=_AXIS["x"], min_similarity=0.9)
        )
        by_id = {hit.job_id: hit for hit in result.hits}
        assert by_id["both"].matched_terms == ("Python", "kubernetes")
        assert by_id["py"].matched_terms == ("Python",)
        assert by_id["vec-only"].matched_terms == ()

    async def test_concurrent_searches_agree(self, search_index: SearchIndex) -> None:
        """Concurrent searches return the same result as one alone."""
        await self._facet_corpus(search_index)
        query = IndexQuery(text="plumber", vector=make_vector("query", _DIM), min_similarity=-1.0, limit=30)
        first = await search_index.search(query)
        results = await asyncio.gather(*(search_index.search(query) for _ in range(8)))
        assert all(result == first for result in results)
