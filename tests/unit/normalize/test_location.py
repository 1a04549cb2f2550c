"""Location parsing and workplace detection on strings job boards really print."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobforge.core.models import Location, WorkplaceType
from jobforge.core.normalize import country_code, detect_workplace_type, parse_locations

REMOTE, HYBRID, ONSITE = WorkplaceType.REMOTE, WorkplaceType.HYBRID, WorkplaceType.ONSITE

Place = tuple[str | None, str | None, str | None]
"""(city, region, country)"""

# text -> ([(city, region, country), ...], workplace type)
PARSED: list[tuple[str, list[Place], WorkplaceType | None]] = [
    # Glassdoor
    ("Albuquerque, NM", [("Albuquerque", "NM", "US")], None),
    ("Santa Fe Springs, Los Angeles, CA", [("Santa Fe Springs", "CA", "US")], None),
    ("Juncos, PR", [("Juncos", "PR", "US")], None),
    ("Washington, DC", [("Washington", "DC", "US")], None),
    ("Oregon", [(None, "OR", "US")], None),
    ("New Jersey", [(None, "NJ", "US")], None),
    ("United States", [(None, None, "US")], None),
    ("London, United Kingdom", [("London", None, "GB")], None),
    ("Seoul, South Korea", [("Seoul", None, "KR")], None),
    ("Singapore, Singapore", [("Singapore", None, "SG")], None),
    # ATS and board fixtures
    ("Sunnyvale, CA, USA", [("Sunnyvale", "CA", "US")], None),
    ("Palo Alto, CA", [("Palo Alto", "CA", "US")], None),
    ("Chaos, FL", [("Chaos", "FL", "US")], None),
    ("Montreal, QC, Canada", [("Montreal", "QC", "CA")], None),
    ("Paris, IDF, France", [("Paris", "IDF", "FR")], None),
    ("London, England, United Kingdom", [("London", "England", "GB")], None),
    ("Utrecht, Utrecht, Netherlands", [("Utrecht", "Utrecht", "NL")], None),
    ("Utrecht, The Netherlands", [("Utrecht", None, "NL")], None),
    ("Berlin, Berlin", [("Berlin", "Berlin", None)], None),
    ("Ho Chi Minh", [("Ho Chi Minh", None, None)], None),
    ("London", [("London", None, None)], None),
    ("Hybrid - London", [("London", None, None)], HYBRID),
    ("Office - London", [("London", None, None)], ONSITE),
    ("Remote (United States)", [(None, None, "US")], REMOTE),
    ("Remote, USA Only", [(None, None, "US")], REMOTE),
    ("USA", [(None, None, "US")], None),
    (
        "USA, Canada, Argentina, Mexico, Peru",
        [(None, None, "US"), (None, None, "CA"), (None, None, "AR"), (None, None, "MX"), (None, None, "PE")],
        None,
    ),
    ("LATAM,  Canada,  USA", [(None, None, None), (None, None, "CA"), (None, None, "US")], None),
    ("Europe", [(None, None, None)], None),
    ("Worldwide", [], REMOTE),
    ("Bright Data - Worldwide", [], REMOTE),
    ("Anywhere in the World", [], REMOTE),
    (
        "NYC, Remote; San Francisco, California",
        [("New York", "NY", "US"), ("San Francisco", "CA", "US")],
        REMOTE,
    ),
    ("2 Locations", [], None),
    # Other common shapes
    ("Austin, TX", [("Austin", "TX", "US")], None),
    ("New York, NY 10001", [("New York", "NY", "US")], None),
    ("Toronto, Ontario, Canada", [("Toronto", "ON", "CA")], None),
    ("Vancouver, BC", [("Vancouver", "BC", "CA")], None),
    ("London, UK", [("London", None, "GB")], None),
    ("Berlin, Germany", [("Berlin", None, "DE")], None),
    ("M\u00fcnchen, Deutschland", [("M\u00fcnchen", None, "DE")], None),
    ("Z\u00fcrich, CH", [("Z\u00fcrich", None, "CH")], None),
    ("Lisbon, PRT", [("Lisbon", None, "PT")], None),
    ("Atlanta, Georgia", [("Atlanta", "GA", "US")], None),
    ("Georgia, USA", [(None, "GA", "US")], None),
    ("Remote", [], REMOTE),
    ("Remote - US", [(None, None, "US")], REMOTE),
    ("US Remote", [(None, None, "US")], REMOTE),
    ("Remote (Europe)", [(None, None, None)], REMOTE),
    ("Anywhere", [], REMOTE),
    ("Work from home", [], REMOTE),
    ("WFH", [], REMOTE),
    ("Hybrid - Austin, TX", [("Austin", "TX", "US")], HYBRID),
    ("Austin, TX (Hybrid)", [("Austin", "TX", "US")], HYBRID),
    ("On-site", [], ONSITE),
    ("Onsite - Seattle, WA", [("Seattle", "WA", "US")], ONSITE),
    ("Berlin / Munich", [("Berlin", None, None), ("Munich", None, None)], None),
    ("Seattle, WA | Denver, CO", [("Seattle", "WA", "US"), ("Denver", "CO", "US")], None),
    ("Seattle, WA or Remote", [("Seattle", "WA", "US")], REMOTE),
    ("Remote; Hybrid - London", [("London", None, None)], None),  # pieces disagree
    ("Portland, OR", [("Portland", "OR", "US")], None),
]


@pytest.mark.parametrize(("text", "places", "workplace"), PARSED)
def test_parse_locations(text: str, places: list[Place], workplace: WorkplaceType | None) -> None:
    locations, stated = parse_locations(text)
    assert [(loc.city, loc.region, loc.country) for loc in locations] == places
    assert stated == workplace
    for location in locations:
        assert location.text
        assert location.text in text


def test_text_is_the_original_piece() -> None:
    locations, _ = parse_locations("Hybrid - Austin, TX; Remote (Europe)")
    assert locations == [
        Location(city="Austin", region="TX", country="US", text="Hybrid - Austin, TX"),
        Location(text="Remote (Europe)"),
    ]


def test_list_of_countries_keeps_each_name_as_text() -> None:
    locations, _ = parse_locations("LATAM,  Canada,  USA")
    assert [loc.text for loc in locations] == ["LATAM", "Canada", "USA"]


@pytest.mark.parametrize(
    "text",
    ["Remote, PT/ET hours preferred", "North America Only", "Multiple time zones, flexible hours"],
)
def test_unrecognised_places_keep_only_their_text(text: str) -> None:
    locations, _ = parse_locations(text)
    assert len(locations) == 1
    location = locations[0]
    assert (location.city, location.region, location.country) == (None, None, None)
    assert location.text


@pytest.mark.parametrize("text", [None, "", "   ", "-1", "N/A"])
def test_empty_locations(text: str | None) -> None:
    assert parse_locations(text) == ([], None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("ca", "CA"),
        ("fr", "FR"),
        ("NLD", "NL"),
        ("Czech Republic", "CZ"),
        ("T\u00fcrkiye", "TR"),
        ("C\u00f4te d'Ivoire", "CI"),
        ("European Union", None),
        ("Atlantis", None),
        (None, None),
    ],
)
def test_country_code(name: str | None, expected: str | None) -> None:
    assert country_code(name) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Senior Engineer (Remote)",), REMOTE),
        (("Fully remote position",), REMOTE),
        (("This role is 100% work from home.",), REMOTE),
        (("Telecommute",), REMOTE),
        (("TELECOMMUTE",), REMOTE),  # schema.org jobLocationType
        (("Hybrid",), HYBRID),
        (("hybrid",), HYBRID),  # lever workplaceType
        (("OnSite",), ONSITE),  # ashby workplaceType
        (("ON_SITE",), ONSITE),  # rippling workplaceType
        (("onsite",), ONSITE),
        (("You will work in office three days a week",), ONSITE),
        (("This is not a remote position. You will work on-site.",), ONSITE),
        (("No remote work possible",), None),
        (("Remote work is not possible for this role.",), None),
        (("Remote Sensing Analyst",), None),
        (
            ("Fin has a hybrid working policy... flexibility to work from home.",),
            HYBRID,
        ),
        ((None, "", "Data Scientist", "Remote OK"), REMOTE),
        (("Data Scientist", "Hybrid - London"), HYBRID),  # first text with a signal wins
        (("Data Scientist",), None),
        ((), None),
    ],
)
def test_detect_workplace_type(texts: tuple[str | None, ...], expected: WorkplaceType | None) -> None:
    assert detect_workplace_type(*texts) == expected


def test_every_glassdoor_location_gets_a_country(shared_dir: Path) -> None:
    with (shared_dir / "data" / "glassdoor_jobs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with_country = 0
    for row in rows:
        text = row["Location"]
        locations, workplace = parse_locations(text)
        assert workplace is None
        assert locations
        if any(loc.country for loc in locations):
            with_country += 1
        for location in locations:
            assert location.text == text
            if location.region is not None and location.country == "US":
                assert len(location.region) == 2
                assert location.region.isupper()
    assert with_country >= 0.95 * len(rows)


def test_glassdoor_headquarters_abroad(shared_dir: Path) -> None:
    with (shared_dir / "data" / "glassdoor_jobs.csv").open(encoding="utf-8", newline="") as handle:
        headquarters = {row["Headquarters"] for row in csv.DictReader(handle)} - {"-1"}
    missing = [hq for hq in headquarters if not any(loc.country for loc in parse_locations(hq)[0])]
    assert missing == []
    assert parse_locations("OSAKA, Japan")[0][0].country == "JP"
    assert parse_locations("Louvain-la-Neuve, Belgium")[0][0].city == "Louvain-la-Neuve"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_locations_never_raises(text: str) -> None:
    locations, workplace = parse_locations(text)
    assert workplace is None or isinstance(workplace, WorkplaceType)
    for location in locations:
        assert location.text
        assert location.country is None or (len(location.country) == 2 and location.country.isupper())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=3))
def test_detect_workplace_type_never_raises(texts: list[str]) -> None:
    assert detect_workplace_type(*texts) in (None, REMOTE, HYBRID, ONSITE)
