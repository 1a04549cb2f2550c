"""Company names for display and for matching."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jobforge.core.normalize import company_key, normalize_company


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tecolote Research\n3.8", "Tecolote Research"),  # Glassdoor rating line
        ("1-800-FLOWERS.COM, Inc.\n2.8", "1-800-FLOWERS.COM, Inc."),
        ("<intent>\n4.6", "<intent>"),
        ("KnowBe4\n4.8", "KnowBe4"),
        ("Bridgerock Data", "Bridgerock Data"),
        ("  Capital   One ", "Capital One"),
        ("Customer Success ", "Customer Success"),
        ("Logic20/20\n3.8", "Logic20/20"),
        ("Ubisoft", "Ubisoft"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_company(name: str | None, expected: str) -> None:
    assert normalize_company(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Adyen N.V.", "adyen"),
        ("Neura Robotics GmbH", "neura robotics"),
        ("HP Inc.", "hp"),
        ("Collinwood Technology Partners, LLC\n4.7", "collinwood technology partners"),
        ("Ameritas Life Insurance Corp\n3.0", "ameritas life insurance"),
        ("Cerus Corporation\n2.1", "cerus"),
        ("DICK'S Sporting Goods - Corporate\n3.8", "dicks sporting goods corporate"),
        ("Church & Dwight\n3.4", "church and dwight"),
        ("L&T Infotech\n3.5", "l and t infotech"),
        ("Nestl\u00e9 S.A.", "nestle"),
        ("Siemens AG", "siemens"),
        ("Unilever PLC", "unilever"),
        ("Example Holdings B.V.", "example holdings"),
        ("Smith & Co.", "smith"),
        ("Foo GmbH & Co. KG", "foo"),
        ("The Home Depot", "home depot"),
        ("Acme Pty Ltd", "acme"),
        ("Volvo AB", "volvo"),
        ("<intent>\n4.6", "intent"),
        ("Constructor.io", "constructor io"),
        ("Co", "co"),
        ("", ""),
    ],
)
def test_company_key(name: str, expected: str) -> None:
    assert company_key(name) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Adyen N.V.", "ADYEN"),
        ("Capital One", "Capital One, Inc."),
        ("Johnson & Johnson", "Johnson and Johnson"),
        ("Tecolote Research\n3.8", "Tecolote Research"),
        ("S.A. Foods Ltd.", "SA Foods Limited"),
    ],
)
def test_spellings_of_one_company_share_a_key(first: str, second: str) -> None:
    assert company_key(first) == company_key(second)


def test_glassdoor_company_names(shared_dir: Path) -> None:
    with (shared_dir / "data" / "glassdoor_jobs.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["Company Name"] for row in csv.DictReader(handle)]
    for name in names:
        display = normalize_company(name)
        assert display
        assert "\n" not in display
        assert display == display.strip()
        assert company_key(name) == company_key(display)
        assert company_key(name)
