"""Every ``curl`` example of docs/http-api.md, replayed against the app in order.

Rules (stated in the document too): each ``$ curl -si ...`` line of a
``console`` block is sent; the status line and headers shown after it must
match; the ``json`` block after the console block must be contained in the
answer (``"..."`` matches anything; lists compare item by item from the
start); ``<!-- NAME = dotted.path -->`` after it captures a value for later
examples as ``$NAME``.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "http-api.md"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
_CAPTURE = re.compile(r"\A\s*<!--(.*?)-->", re.DOTALL)


@dataclass
class Example:
    line: int
    command: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    captures: dict[str, str] = field(default_factory=dict)


def parse_examples(text: str) -> list[Example]:
    examples: list[Example] = []
    blocks = list(_BLOCK.finditer(text))
    for index, block in enumerate(blocks):
        if block.group(1) != "console" or "$ curl" not in block.group(2):
            continue
        command_lines: list[str] = []
        status = 0
        headers: dict[str, str] = {}
        for raw in block.group(2).splitlines():
            line = raw.strip()
            if line.startswith("$ curl") or (
                command_lines and command_lines[-1].endswith("\\") and not status
            ):
                command_lines.append(line.removeprefix("$ "))
            elif line.startswith("HTTP/1.1 "):
                status = int(line.split()[1])
            elif ":" in line and status:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        example = Example(
            line=text.count("\n", 0, block.start()) + 1,
            command=" ".join(part.rstrip("\\").strip() for part in command_lines),
            status=status,
            headers=headers,
        )
        assert status, f"docs/http-api.md:{example.line}: a curl example needs the status line (curl -si)"
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        between = text[block.end() : following.start()] if following else ""
        if following is not None and following.group(1) == "json" and not between.strip():
            example.body = json.loads(following.group(2))
            capture = _CAPTURE.match(text[following.end() :])
            if capture:
                for assignment in capture.group(1).split(";"):
                    name, _, path = assignment.partition("=")
                    example.captures[name.strip()] = path.strip()
        examples.append(example)
    return examples


def to_request(command: str, variables: dict[str, str]) -> tuple[str, str, dict[str, str], str | None]:
    expanded = re.sub(r"\$([A-Z_]+)", lambda m: variables[m.group(1)], command)
    words = shlex.split(expanded)
    assert words[0] == "curl"
    method, headers, data, url = "GET", {}, None, None
    words = iter(words[1:])
    for word in words:
        if word in ("-s", "-i", "-si", "-is"):
            continue
        if word == "-X":
            method = next(words)
        elif word == "-H":
            name, _, value = next(words).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data"):
            data = next(words)
            method = "POST" if method == "GET" else method
        else:
            url = word
    assert url is not None, command
    return method, url, headers, data


def contains(expected: Any, actual: Any, where: str = "$") -> None:
    if expected == "...":
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: no key {key!r} in {sorted(actual)}"
            contains(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) >= len(expected), f"{where}: {actual!r}"
        for n, (want, got) in enumerate(zip(expected, actual, strict=False)):
            contains(want, got, f"{where}[{n}]")
    else:
        assert expected == actual, f"{where}: documented {expected!r}, got {actual!r}"


def dig(value: Any, path: str) -> str:
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return str(value)


def test_the_document_has_examples() -> None:
    examples = parse_examples(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 15
    assert all(e.command.startswith("curl -si") for e in examples)


@pytest.mark.usefixtures("jobs")
async def test_every_curl_example_gives_the_documented_answer(client: Any, admin_key: str) -> None:
    variables = {"JOBFORGE_URL": "", "ADMIN_KEY": admin_key}
    for example in parse_examples(DOC.read_text(encoding="utf-8")):
        method, url, headers, data = to_request(example.command, variables)
        response = await client.request(method, url, headers=headers, content=data)
        where = f"docs/http-api.md:{example.line} ({method} {url})"
        assert response.status_code == example.status, f"{where}: {response.status_code} {response.text}"
        for name, value in example.headers.items():
            assert response.headers.get(name) == value, (
                f"{where}: header {name}: {response.headers.get(name)!r}"
            )
        if example.body is not None:
            body = response.json()
            try:
                contains(example.body, body)
            except AssertionError as exc:
                raise AssertionError(f"{where}: {exc}\n{json.dumps(body)[:2000]}") from None
            for name, path in example.captures.items():
                variables[name] = dig(body, path)
