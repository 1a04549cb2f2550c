"""HTML to text and plain-text clean-up on descriptions as sources deliver them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobforge.core.normalize import clean_text, html_to_text, looks_like_html

CONVERTED = [
    ("<p>Hello</p><p>World</p>", "Hello\n\nWorld"),
    ("<ul><li>Python</li><li>SQL</li></ul>", "- Python\n- SQL"),
    ("Line one<br>Line two<br/>Line three", "Line one\nLine two\nLine three"),
    ("<h2>About</h2>\n<p>We build   things.</p>", "About\n\nWe build things."),
    ("<p>A</p><script>alert('x')</script><style>p {color: red}</style><p>B</p>", "A\n\nB"),
    ("<p>R&amp;D &amp; more</p>", "R&D & more"),
    ("<p>Tom&#39;s caf&eacute;</p>", "Tom's caf\u00e9"),
    ("<p>What&amp;nbsp;is it?&amp;nbsp;</p>", "What is it?"),  # double-escaped NBSP
    ("&lt;div&gt;&lt;p&gt;Escaped &amp;amp; parsed&lt;/p&gt;&lt;/div&gt;", "Escaped & parsed"),
    ("&lt;p&gt;We&amp;#39;re hiring&lt;/p&gt;", "We're hiring"),
    ("<p>non\u00a0breaking\u00a0space</p>", "non breaking space"),
    ("<p>soft\u00adhyphen</p>", "softhyphen"),
    ("<p>a</p><p></p><p></p><div><br><br><br></div><p>b</p>", "a\n\nb"),
    ("<p>Unclosed<p>paragraphs<p>here", "Unclosed\n\nparagraphs\n\nhere"),
    ("<table><tr><td>Base</td><td>$100k</td></tr></table>", "Base $100k"),
    ("\u00a0\\n\\n<strong>Your mission</strong>\n<p>Build.</p>", "Your mission\n\nBuild."),
    ("", ""),
    ("Just text, no tags", "Just text, no tags"),
    (  # hackernews: entities in attributes and text, unclosed <p>
        'Modash.io | <a href="https:&#x2F;&#x2F;modash.io">https:&#x2F;&#x2F;modash.io</a><p>Modash helps',
        "Modash.io | https://modash.io\n\nModash helps",
    ),
]


@pytest.mark.parametrize(("html", "expected"), CONVERTED)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Hello</p>", True),
        ('<div class="x">Hi</div>', True),
        ("Line<br/>break", True),
        ("&lt;p&gt;Escaped&lt;/p&gt;", True),
        ("Salary < 100k and > 50k", False),
        ("Plain text with R&D", False),
        ("", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mec\u00c3\u00a1nico Automotriz Diagn\u00c3\u00b3stico",
            "Mec\u00e1nico Automotriz Diagn\u00f3stico",
        ),
        ("veh\u00c3\u00adculos", "veh\u00edculos"),  # the soft-hyphen byte is part of "\u00ed"
        ("we\u00e2\u20ac\u2122re hiring", "we\u2019re hiring"),  # cp1252 mojibake of an apostrophe
        ("Caf\u00e9 cr\u00e8me", "Caf\u00e9 cr\u00e8me"),  # correct text is left alone
        ("\u00c3 la carte", "\u00c3 la carte"),  # a lone marker that does not decode
        ("mantenimiento en cada veh\u00c3", "mantenimiento en cada veh\u00c3"),
        ("Typescript ", "Typescript"),
        ("  line one  \r\n\r\n\r\n\r\nline   two\t", "line one\n\nline two"),
        ("bullet\u00a0\u2022\u00a0item", "bullet \u2022 item"),
        ("Tens of millions of people use Phantom&hellip;", "Tens of millions of people use Phantom\u2026"),
        ("R&amp;D at AT&T", "R&D at AT&T"),
        ("", ""),
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_mojibake_cut_mid_character_is_still_repaired() -> None:
    assert clean_text("Mec\u00c3\u00a1nico en cada veh\u00c3") == "Mec\u00e1nico en cada veh\u00c3"


def _load(shared_dir: Path, name: str) -> object:
    return json.loads((shared_dir / "fixtures" / name).read_text(encoding="utf-8"))


def test_greenhouse_escaped_html(shared_dir: Path) -> None:
    data = _load(shared_dir, "greenhouse-2.json")
    assert isinstance(data, dict)
    for job in data["jobs"]:
        text = html_to_text(job["content"])
        assert "<" not in text
        assert "&lt;" not in text
        assert "&nbsp;" not in text
        assert "&amp;" not in text
        assert "\u00a0" not in text
        assert "\n\n\n" not in text
        assert text == text.strip()
    first = html_to_text(data["jobs"][0]["content"])
    assert first.startswith("SmarterDx is transforming how health systems use clinical AI")
    assert "- Medical, Dental & Vision" in first


def test_weworkremotely_double_escaped(shared_dir: Path) -> None:
    root = ET.parse(shared_dir / "fixtures" / "weworkremotely.rss").getroot()
    descriptions = [item.findtext("description") or "" for item in root.iter("item")]
    text = html_to_text(descriptions[0])
    assert text.startswith("Headquarters: NYC, Remote; San Francisco, California")
    assert "Product, R&D, and Engineering" in text
    assert "What's the opportunity?\n" in text
    assert "- Lead technical discovery" in text
    assert "&nbsp;" not in text


def test_remoteok_mojibake_description(shared_dir: Path) -> None:
    data = _load(shared_dir, "remoteok.json")
    assert isinstance(data, list)
    posting = data[2]
    assert clean_text(posting["position"]) == "Mec\u00e1nico Automotriz Diagn\u00f3stico y Presupuestos"
    text = html_to_text(posting["description"])
    assert text.startswith("Buscamos un/a Mec\u00e1nico/a Automotriz con experiencia en diagn\u00f3stico")
    assert "veh\u00edculos" in text
    assert "\u00ad" not in text


def test_jsonld_literal_newlines(shared_dir: Path) -> None:
    page = (shared_dir / "fixtures" / "jsonld" / "jsonld_neura_robotics_manager.html").read_text(
        encoding="utf-8"
    )
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    posting = json.loads(match.group(1))
    text = html_to_text(posting["description"])
    assert text.startswith("Your mission & challenges\n\nAs the Manager Ecosystem Integration")
    assert "\\n" not in text
    assert "- Technically integrate external partner hardware" in text


def test_lever_plain_text(shared_dir: Path) -> None:
    data = _load(shared_dir, "lever-2.json")
    assert isinstance(data, list)
    text = clean_text(data[0]["descriptionPlain"])
    assert text.startswith("A World-Changing Company\n\nPalantir builds")
    assert "\u00a0" not in text
    assert "\n\n\n" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_html_to_text_never_raises(text: str) -> None:
    result = html_to_text(text)
    assert result == result.strip()
    assert "\n\n\n" not in result
    assert "\u00a0" not in result


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<li>",
                "<br>",
                "<ul>",
                "</ul>",
                "&amp;",
                "&lt;b&gt;",
                "text",
                " ",
                "\u00c3\u00a9",
            ]
        ),
        max_size=30,
    )
)
def test_html_fragments_never_raise(parts: list[str]) -> None:
    result = html_to_text("".join(parts))
    assert "<p>" not in result


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_clean_text_never_raises(text: str) -> None:
    assert clean_text(clean_text(text)) == clean_text(text)
