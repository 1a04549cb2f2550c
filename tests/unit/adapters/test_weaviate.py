"""The Weaviate adapter without a server: objects, filters and query arguments, tested directly.

Filters are checked two ways: their exact shape, and their meaning -- a
small interpreter of Weaviate's filter operators evaluates them over
``to_properties`` of a varied corpus, and must keep exactly the jobs the
in-memory reference index keeps for the same ``SearchFilters``.
"""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from weaviate.classes.query import Filter, HybridFusion
from weaviate.collections.classes.filters import _FilterAnd, _FilterOr, _FilterValue, _Operator

from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.adapters.weaviate import WeaviateSearchIndex, WeaviateUnavailableError
from jobforge.adapters.weaviate.index import _Candidate, _facets, _matched, _rrf
from jobforge.adapters.weaviate.plugin import _build
from jobforge.adapters.weaviate.translate import (
    FACET_PROPERTIES,
    PROPERTY_SCHEMA,
    QUERY_PROPERTIES,
    UNDATED,
    bm25_arguments,
    build_filter,
    hybrid_arguments,
    job_uuid,
    near_vector_arguments,
    query_terms,
    to_properties,
)
from jobforge.core.errors import ConfigError
from jobforge.core.models import EmploymentType, Job, Location, Salary, Seniority, SourceRef, WorkplaceType
from jobforge.core.registry import AdapterContext
from jobforge.core.search_types import IndexDocument, IndexQuery, SearchFilters, SearchMode
from jobforge.hosts.config import load_settings
from jobforge.testing.factories import make_job, make_vector

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def job(job_id: str, **fields: Any) -> Job:
    defaults: dict[str, Any] = {
        "id": job_id,
        "title": "Associate",
        "company": "Filler Corp",
        "skills": [],
        "description": "General duties.",
        "locations": [Location(city="Springfield", region="IL", country="US", text="Springfield, IL")],
        "salary": None,
        "posted_at": T0,
    }
    defaults.update(fields)
    return make_job(**defaults)


CORPUS = [
    job(
        "remote-usd",
        workplace_type=WorkplaceType.REMOTE,
        salary=Salary(annual_min=100_000, annual_max=150_000, currency="USD"),
    ),
    job("usd-min-only", salary=Salary(annual_min=110_000, currency="usd"), seniority=Seniority.JUNIOR),
    job(
        "usd-low",
        salary=Salary(annual_min=50_000, annual_max=70_000, currency="USD"),
        employment_type=EmploymentType.CONTRACT,
    ),
    job(
        "eur-high",
        salary=Salary(annual_min=200_000, annual_max=250_000, currency="EUR"),
        workplace_type=WorkplaceType.HYBRID,
    ),
    job("no-annual", salary=Salary(currency="USD", text="competitive"), workplace_type=WorkplaceType.ONSITE),
    job("austin", locations=[Location(city="Austin", region="TX", country="US")], company="Acme Analytics"),
    job(
        "text-only",
        locations=[Location(text="Greater Austin Area")],
        company="ACME ANALYTICS",
        posted_at=None,
    ),
    job(
        "two-places",
        locations=[
            Location(city="Berlin", country="DE"),
            Location(city="München", region="Bavaria", country="DE"),
        ],
        company="Acme Analytics Ltd",
        posted_at=T0 - timedelta(seconds=1),
    ),
    job(
        "nowhere",
        locations=[],
        company="Globex",
        posted_at=T0 + timedelta(seconds=1),
        seniority=Seniority.SENIOR,
    ),
    job(
        "multi-source",
        source="greenhouse",
        source_id="m",
        sources=[SourceRef(source="greenhouse", source_id="m"), SourceRef(source="lever", source_id="m2")],
    ),
    job(
        "indeed",
        source="indeed",
        source_id="i",
        sources=[SourceRef(source="indeed", source_id="i")],
        employment_type=EmploymentType.INTERNSHIP,
        seniority=Seniority.INTERN,
    ),
    job(
        "fr",
        locations=[Location(city="Paris", country="fr")],
        workplace_type=WorkplaceType.REMOTE,
        posted_at=T0 - timedelta(days=30),
    ),
]

FILTERS = [
    SearchFilters(),
    SearchFilters(workplace_types=(WorkplaceType.REMOTE,)),
    SearchFilters(workplace_types=(WorkplaceType.REMOTE, WorkplaceType.HYBRID)),
    *(
        SearchFilters(location=needle)
        for needle in ("AUST", "tx", "münchen", "bavaria", "de", "Paris", "nowhere", "springfield, il")
    ),
    SearchFilters(countries=("DE",)),
    SearchFilters(countries=("US",)),
    SearchFilters(countries=("FR", "DE")),
    SearchFilters(countries=("JP",)),
    *(
        SearchFilters(salary_min=amount, salary_currency="USD")
        for amount in (0, 110_000, 120_000, 150_000, 150_001)
    ),
    SearchFilters(salary_min=100_000, salary_currency="EUR"),
    SearchFilters(salary_currency="USD"),
    SearchFilters(employment_types=(EmploymentType.CONTRACT, EmploymentType.INTERNSHIP)),
    SearchFilters(seniorities=(Seniority.SENIOR,)),
    SearchFilters(seniorities=(Seniority.LEAD,)),
    SearchFilters(posted_after=T0),
    SearchFilters(posted_after=T0 - timedelta(days=1)),
    SearchFilters(companies=("acme analytics",)),
    SearchFilters(companies=("Acme",)),
    SearchFilters(companies=("globex", "Acme Analytics Ltd")),
    SearchFilters(exclude_companies=("ACME analytics",)),
    SearchFilters(companies=("acme analytics", "globex"), exclude_companies=("Globex",)),
    SearchFilters(sources=("lever",)),
    SearchFilters(sources=("indeed", "lever")),
    SearchFilters(sources=("workday",)),
    SearchFilters(
        workplace_types=(WorkplaceType.REMOTE,),
        salary_min=120_000,
        salary_currency="USD",
        countries=("US",),
        posted_after=T0 - timedelta(days=1),
        exclude_companies=("globex",),
        sources=("test",),
    ),
]


# --- a Weaviate filter interpreter (the operators build_filter uses) ------------------------------


def _values(props: dict[str, Any], name: str) -> list[Any]:
    value = props.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def matches(node: Any, props: dict[str, Any]) -> bool:
    if isinstance(node, _FilterAnd):
        return all(matches(child, props) for child in node.filters)
    if isinstance(node, _FilterOr):
        return any(matches(child, props) for child in node.filters)
    assert isinstance(node, _FilterValue), node
    values = _values(props, str(node.target))
    op, wanted = node.operator, node.value
    if op is _Operator.EQUAL:
        return wanted in values
    if op is _Operator.NOT_EQUAL:
        return wanted not in values
    if op is _Operator.GREATER_THAN_EQUAL:
        return any(v >= wanted for v in values)
    if op is _Operator.LIKE:
        return any(fnmatch.fnmatchcase(v, wanted) for v in values)
    if op is _Operator.CONTAINS_ANY:
        return any(v in wanted for v in values)
    raise AssertionError(f"unexpected operator {op}")


async def reference_ids(filters: SearchFilters) -> set[str]:
    index = MemorySearchIndex()
    await index.upsert([IndexDocument(job=j, vector=make_vector(j.id, 4)) for j in CORPUS])
    result = await index.search(IndexQuery(filters=filters, limit=100))
    return {hit.job_id for hit in result.hits}


def _describe(filters: SearchFilters) -> str:
    set_fields = [
        f"{name}={getattr(filters, name)}"
        for name in filters.__struct_fields__
        if getattr(filters, name) not in (None, ())
    ]
    return ",".join(set_fields) or "none"


@pytest.mark.parametrize("filters", FILTERS, ids=[_describe(f) for f in FILTERS])
async def test_filters_keep_exactly_what_the_reference_index_keeps(filters: SearchFilters) -> None:
    where = build_filter(filters)
    if where is None:
        kept = {j.id for j in CORPUS}
    else:
        kept = {j.id for j in CORPUS if matches(where, to_properties(j))}
    assert kept == await reference_ids(filters)


def test_every_filter_field_is_covered() -> None:
    covered = {name for f in FILTERS for name in f.__struct_fields__ if getattr(f, name) not in (None, ())}
    assert covered == set(SearchFilters.__struct_fields__)


# --- filter shapes ----------------------------------------------------------------------------------


def test_no_filters_is_none_and_one_filter_is_not_wrapped() -> None:
    assert build_filter(SearchFilters()) is None
    single = build_filter(SearchFilters(countries=("us", "DE")))
    assert single == Filter.by_property("countries").contains_any(["DE", "US"])


def test_filter_shapes() -> None:
    where = build_filter(
        SearchFilters(
            workplace_types=(WorkplaceType.REMOTE, WorkplaceType.HYBRID),
            location="Austin",
            salary_min=120_000,
            salary_currency="usd",
            employment_types=(EmploymentType.FULL_TIME,),
            posted_after=T0,
            companies=("Acme",),
            exclude_companies=("Globex", "globex"),
            sources=("lever",),
        )
    )
    assert isinstance(where, _FilterAnd)
    parts = where.filters
    assert isinstance(parts[0], _FilterOr)
    assert parts[0].filters == [
        Filter.by_property("workplace_type").equal("hybrid"),
        Filter.by_property("workplace_type").equal("remote"),
    ]
    assert parts[1:] == [
        Filter.by_property("location_parts").like("*austin*"),
        Filter.by_property("salary_currency").equal("USD"),
        Filter.by_property("salary_annual").greater_or_equal(120_000.0),
        Filter.by_property("employment_type").equal("full_time"),
        Filter.by_property("posted_sort").greater_or_equal(T0.timestamp()),
        Filter.by_property("company_key").contains_any(["acme"]),
        Filter.by_property("company_key").not_equal("globex"),
        Filter.by_property("source_names").contains_any(["lever"]),
    ]


def test_unsupported_filter_values_are_errors() -> None:
    with pytest.raises(ValueError, match="salary_currency"):
        build_filter(SearchFilters(salary_min=1000))
    with pytest.raises(ValueError, match=r"location .*wildcards"):
        build_filter(SearchFilters(location="a*b"))
    with pytest.raises(ValueError, match="location"):
        build_filter(SearchFilters(location="what?"))


def test_filtered_properties_exist_with_exact_tokenization() -> None:
    schema = {name: (data_type, tokenization) for name, data_type, tokenization, _ in PROPERTY_SCHEMA}
    for name in (
        "job_id",
        "company_name",
        "company_key",
        "location_parts",
        "countries",
        "workplace_type",
        "employment_type",
        "seniority",
        "salary_currency",
        "source_names",
    ):
        assert schema[name][1] == "field", name
    assert schema["salary_annual"][0] == schema["posted_sort"][0] == "number"
    searchable = {name for name, _, _, is_searchable in PROPERTY_SCHEMA if is_searchable}
    assert {p.split("^")[0] for p in QUERY_PROPERTIES} == searchable
    assert set(FACET_PROPERTIES) <= set(schema)


# --- objects ------------------------------------------------------------------------------------------


def test_to_properties() -> None:
    j = job(
        "p",
        company="Acme Straße",
        locations=[
            Location(city="München", region="Bavaria", country="de", text="München, DE"),
            Location(city="Berlin"),
        ],
        salary=Salary(min=50, max=60, annual_min=100_000, currency="eur"),
        source="greenhouse",
        sources=[SourceRef(source="greenhouse", source_id="1"), SourceRef(source="lever", source_id="2")],
        skills=["python", "sql"],
    )
    props = to_properties(j)
    assert props["job_id"] == "p"
    assert (props["company"], props["company_name"], props["company_key"]) == (
        "Acme Straße",
        "Acme Straße",
        "acme strasse",
    )
    assert props["location_parts"] == ["bavaria", "berlin", "de", "münchen", "münchen, de"]
    assert props["location_text"] == "München Bavaria de München, DE Berlin"
    assert props["countries"] == ["DE"]
    assert (props["salary_currency"], props["salary_annual"]) == ("EUR", 100_000.0)
    assert props["source_names"] == ["greenhouse", "lever"]
    assert props["skills"] == ["python", "sql"]
    assert props["posted_sort"] == T0.timestamp()
    assert to_properties(job("u", posted_at=None))["posted_sort"] == UNDATED
    no_annual = to_properties(job("n", salary=Salary(currency="USD", min=10)))
    assert "salary_currency" not in no_annual
    assert "salary_annual" not in no_annual


def test_job_uuid_is_stable_and_distinct() -> None:
    assert job_uuid("a") == job_uuid("a") != job_uuid("b")
    assert len(job_uuid("a")) == 36


# --- query arguments -----------------------------------------------------------------------------------


def test_bm25_and_near_vector_arguments() -> None:
    query = IndexQuery(
        text="python",
        vector=[1.0, 0.0],
        filters=SearchFilters(countries=("US",)),
        min_similarity=0.3,
        vector_candidates=50,
    )
    bm25 = bm25_arguments(query, limit=10_000)
    assert (bm25["query"], bm25["limit"], bm25["query_properties"]) == ("python", 10_000, QUERY_PROPERTIES)
    assert bm25["filters"] == build_filter(query.filters)
    assert bm25["return_metadata"].score
    near = near_vector_arguments(query)
    assert near["near_vector"] == [1.0, 0.0]
    assert near["distance"] == pytest.approx(0.7)
    assert near["limit"] == 50
    assert near["return_metadata"].distance
    with pytest.raises(ValueError, match="vector"):
        near_vector_arguments(IndexQuery(text="x", mode=SearchMode.VECTOR))


def test_hybrid_arguments() -> None:
    query = IndexQuery(text="data engineer", vector=[0.5, 0.5], min_similarity=0.25)
    native = hybrid_arguments(query, alpha=0.7, fusion="relative_score", limit=500)
    assert native["alpha"] == 0.7
    assert native["fusion_type"] is HybridFusion.RELATIVE_SCORE
    assert native["max_vector_distance"] == pytest.approx(0.75)
    assert (native["query"], native["vector"], native["limit"]) == ("data engineer", [0.5, 0.5], 500)
    assert native["filters"] is None
    assert hybrid_arguments(query)["fusion_type"] is HybridFusion.RANKED
    keyword = IndexQuery(text="x", mode=SearchMode.KEYWORD)
    assert hybrid_arguments(keyword, alpha=0.7)["alpha"] == 0.0
    assert (
        hybrid_arguments(IndexQuery(text="x", vector=[1.0], mode=SearchMode.VECTOR), alpha=0.2)["alpha"]
        == 1.0
    )
    with pytest.raises(ValueError, match="alpha"):
        hybrid_arguments(query, alpha=1.5)
    with pytest.raises(ValueError, match="fusion"):
        hybrid_arguments(query, fusion="rrf")
    with pytest.raises(ValueError, match="vector"):
        hybrid_arguments(IndexQuery(text="x"))


def test_query_terms_and_matched_terms() -> None:
    assert query_terms("Python, kubernetes! C++ über_cool") == [
        ("Python", "python"),
        ("kubernetes", "kubernetes"),
        ("C", "c"),
        ("über", "über"),
        ("cool", "cool"),
    ]
    words = query_terms("Python kubernetes unicorn python")
    assert _matched(words, "Python Developer We use Kubernetes.") == ("Python", "kubernetes")
    assert _matched(words, "") == ()


def test_rrf_and_facets() -> None:
    both = _Candidate("a", {}, keyword=(1, 3.2), vector=(2, 0.9))
    assert _rrf(both, 60) == pytest.approx(1 / 61 + 1 / 62)
    assert _rrf(_Candidate("b", {}, vector=(1, 0.9)), 1) == pytest.approx(0.5)
    props = [
        {"workplace_type": "remote", "employment_type": "full_time", "company_name": "Globex"},
        {"workplace_type": "remote", "employment_type": "contract", "company_name": "Acme"},
        {"workplace_type": "onsite", "employment_type": "full_time", "company_name": "Globex"},
    ]
    assert _facets(props, 20) == {
        "workplace_type": {"remote": 2, "onsite": 1},
        "employment_type": {"full_time": 2, "contract": 1},
        "company": {"Globex": 2, "Acme": 1},
    }
    assert _facets(props, 1)["company"] == {"Globex": 2}
    assert _facets([], 5) == {"workplace_type": {}, "employment_type": {}, "company": {}}


# --- construction, configuration, connection errors ---------------------------------------------------


def test_constructor_validation() -> None:
    with pytest.raises(ValueError, match="url"):
        WeaviateSearchIndex("weaviate:8080")
    with pytest.raises(ValueError, match="fusion"):
        WeaviateSearchIndex(fusion="borda")
    with pytest.raises(ValueError, match="alpha"):
        WeaviateSearchIndex(alpha=2)
    with pytest.raises(ValueError, match="collection"):
        WeaviateSearchIndex(collection="jobs")
    index = WeaviateSearchIndex("https://cluster.example:443", api_key="secret-key")
    assert "secret-key" not in repr(index)


def test_plugin_from_environment(tmp_path: Path) -> None:
    settings = load_settings(
        env={
            "JOBFORGE_SEARCH_INDEX": "weaviate",
            "JOBFORGE_WEAVIATE_URL": "http://127.0.0.1:8080",
            "JOBFORGE_WEAVIATE_API_KEY": "k",
            "JOBFORGE__SEARCH_INDEX__TENANT": "acme",
        },
        overrides={"data_dir": str(tmp_path)},
    )
    index = _build(AdapterContext(name="weaviate", options=settings.search_index.options, key="search_index"))
    assert isinstance(index, WeaviateSearchIndex)
    assert (index.url, index.tenant, index.fusion) == ("http://127.0.0.1:8080", "acme", "rrf")
    with pytest.raises(ConfigError, match=r"search_index\.url"):
        _build(AdapterContext(name="weaviate", options={}, key="search_index"))
    with pytest.raises(ConfigError, match=r"search_index\.fusion"):
        _build(
            AdapterContext(name="weaviate", options={"url": "http://x:1", "fusion": "x"}, key="search_index")
        )


async def test_an_unreachable_server_is_an_error_naming_the_url() -> None:
    from servers._ports import free_port

    url = f"http://127.0.0.1:{free_port()}"
    index = WeaviateSearchIndex(url, grpc_port=free_port(), timeout=5)
    try:
        with pytest.raises(WeaviateUnavailableError, match=f"cannot reach Weaviate at {url}"):
            await index.count()
        with pytest.raises(ValueError, match="salary_currency"):  # bad filters fail before any request
            await index.search(IndexQuery(filters=SearchFilters(salary_min=5)))
    finally:
        await index.close()


def test_alpha_comes_from_the_search_alpha_flag(caplog: pytest.LogCaptureFixture) -> None:
    from jobforge.adapters.static_flags.flags import StaticFeatureFlags

    assert WeaviateSearchIndex(alpha=0.3)._alpha() == 0.3
    assert WeaviateSearchIndex(alpha=0.3, flags=StaticFeatureFlags({"search.alpha": 0.8}))._alpha() == 0.8
    lazy = WeaviateSearchIndex(alpha=0.3, flags=lambda: StaticFeatureFlags({"search.alpha": 0}))
    assert lazy._alpha() == 0.0
    bad = WeaviateSearchIndex(alpha=0.3, flags=StaticFeatureFlags({"search.alpha": 7}))
    assert bad._alpha() == 0.3
    assert "search.alpha" in caplog.text
