"""The shared polite HTTP client, against a real local server."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext
from jobforge.net import (
    HttpClient,
    HttpClientSettings,
    HttpError,
    RateLimiter,
    RobotsDisallowedError,
    http_options,
    redact_url,
)
from jobforge.testing.http_server import LocalHttpServer, Reply


class FakeTime:
    """A clock that moves only when something sleeps on it; records the sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def fast(**overrides: object) -> HttpClientSettings:
    values: dict[str, object] = {"rate_limit": 0.0, "backoff_base": 0.01, "max_retries": 3, **overrides}
    return HttpClientSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def server():
    with LocalHttpServer() as running:
        yield running


async def test_429_with_retry_after_is_retried_after_the_stated_delay(server: LocalHttpServer) -> None:
    server.route(
        "/jobs",
        Reply(status=429, headers={"Retry-After": "7"}),
        Reply(body=b'{"jobs": [1]}', headers={"Content-Type": "application/json"}),
    )
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    async with HttpClient(fast(), limiter=limiter, sleep=fake.sleep) as client:
        assert await client.get_json(server.url + "/jobs") == {"jobs": [1]}
    assert len(server.requests_to("/jobs")) == 2
    assert fake.sleeps == [7.0]


async def test_retry_after_as_an_http_date(server: LocalHttpServer) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server.route("/d", Reply(status=503, headers={"Retry-After": when}), Reply(body=b"{}"))
    fake = FakeTime()
    async with HttpClient(fast(), sleep=fake.sleep) as client:
        await client.get_json(server.url + "/d")
    assert len(fake.sleeps) == 1
    assert 20 < fake.sleeps[0] <= 30


async def test_503_is_retried_with_exponential_backoff(server: LocalHttpServer) -> None:
    server.route("/busy", Reply(status=503), Reply(status=502), Reply(status=500), Reply(body=b"[]"))
    fake = FakeTime()
    settings = fast(backoff_base=1.0, backoff_max=3.0)
    async with HttpClient(settings, sleep=fake.sleep, jitter=lambda: 1.0) as client:
        assert await client.get_json(server.url + "/busy") == []
    assert len(server.requests_to("/busy")) == 4
    assert fake.sleeps == [1.0, 2.0, 3.0]  # doubling, capped at backoff_max


async def test_jitter_scales_each_backoff(server: LocalHttpServer) -> None:
    server.route("/busy", Reply(status=503), Reply(body=b"[]"))
    fake = FakeTime()
    async with HttpClient(fast(backoff_base=4.0), sleep=fake.sleep, jitter=lambda: 0.25) as client:
        await client.get_json(server.url + "/busy")
    assert fake.sleeps == [1.0]


async def test_gives_up_after_max_retries(server: LocalHttpServer) -> None:
    server.route("/down", Reply(status=503, body=b"maintenance"))
    fake = FakeTime()
    async with HttpClient(fast(max_retries=2), sleep=fake.sleep) as client:
        with pytest.raises(HttpError) as caught:
            await client.get_json(server.url + "/down")
    assert caught.value.status == 503
    assert caught.value.body == "maintenance"
    assert len(server.requests_to("/down")) == 3


async def test_client_errors_are_not_retried(server: LocalHttpServer) -> None:
    server.route("/gone", Reply(status=404))
    async with HttpClient(fast()) as client:
        with pytest.raises(HttpError, match="HTTP 404"):
            await client.get_json(server.url + "/gone")
        response = await client.request("GET", server.url + "/gone", ok_statuses=frozenset({404}))
    assert response.status_code == 404
    assert len(server.requests_to("/gone")) == 2


async def test_a_retry_after_beyond_the_limit_fails_at_once(server: LocalHttpServer) -> None:
    server.route("/later", Reply(status=429, headers={"Retry-After": "86400"}))
    fake = FakeTime()
    async with HttpClient(fast(max_retry_after=60), sleep=fake.sleep) as client:
        with pytest.raises(HttpError, match="exceeds max_retry_after"):
            await client.get_json(server.url + "/later")
    assert fake.sleeps == []
    assert len(server.requests_to("/later")) == 1


async def test_post_is_retried_only_when_not_processed(server: LocalHttpServer) -> None:
    server.route("/apply", Reply(status=500), method="POST")
    server.route("/limited", Reply(status=429), Reply(status=201, body=b'{"ok": true}'), method="POST")
    fake = FakeTime()
    async with HttpClient(fast(), sleep=fake.sleep) as client:
        with pytest.raises(HttpError, match="HTTP 500"):
            await client.post_json(server.url + "/apply", {"name": "A"})
        assert await client.post_json(server.url + "/limited", {"name": "A"}) == {"ok": True}
    assert len(server.requests_to("/apply")) == 1  # a 500 may have created the application
    assert len(server.requests_to("/limited")) == 2
    assert server.requests_to("/limited")[1].json() == {"name": "A"}


async def test_timeout_is_retried_then_reported(server: LocalHttpServer) -> None:
    server.route("/slow", Reply(body=b"{}", delay=0.5))
    fake = FakeTime()
    async with HttpClient(fast(timeout=0.1, max_retries=1), sleep=fake.sleep) as client:
        with pytest.raises(HttpError, match="ReadTimeout") as caught:
            await client.get_json(server.url + "/slow")
    assert caught.value.status is None
    assert len(server.requests_to("/slow")) == 2


async def test_timeout_then_success(server: LocalHttpServer) -> None:
    server.route("/slow-once", Reply(body=b"{}", delay=0.5), Reply(body=b'{"ok": 1}'))
    async with HttpClient(fast(timeout=0.1), sleep=FakeTime().sleep) as client:
        assert await client.get_json(server.url + "/slow-once") == {"ok": 1}


async def test_connection_refused_is_an_http_error() -> None:
    with LocalHttpServer() as gone:
        url = gone.url
    async with HttpClient(fast(max_retries=1), sleep=FakeTime().sleep) as client:
        with pytest.raises(HttpError, match="ConnectError"):
            await client.get_json(url + "/x")


async def test_user_agent_and_accept_headers(server: LocalHttpServer) -> None:
    server.json("/ua", {})
    async with HttpClient(fast(user_agent="acme-bot/2.0 (+https://acme.example/bot)")) as client:
        await client.get_json(server.url + "/ua")
    headers = server.requests_to("/ua")[0].headers
    assert headers["user-agent"] == "acme-bot/2.0 (+https://acme.example/bot)"
    assert headers["accept"] == "application/json"


async def test_non_json_body_is_an_http_error(server: LocalHttpServer) -> None:
    server.text("/html", "<html>maintenance</html>")
    async with HttpClient(fast()) as client:
        with pytest.raises(HttpError, match="not JSON"):
            await client.get_json(server.url + "/html")


# --- robots.txt ---------------------------------------------------------------------------


async def test_robots_disallow_blocks_html_pages_only_for_matching_agents(server: LocalHttpServer) -> None:
    server.text(
        "/robots.txt",
        "User-agent: jobforge\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n",
        content_type="text/plain",
    )
    server.text("/careers/1", "<html>job 1</html>")
    server.text("/private/2", "<html>job 2</html>")
    async with HttpClient(fast()) as client:
        text, final = await client.get_text(server.url + "/careers/1")
        assert text == "<html>job 1</html>"
        assert final == server.url + "/careers/1"
        with pytest.raises(RobotsDisallowedError, match="disallows"):
            await client.get_text(server.url + "/private/2")
        # API calls (robots=False) are not crawling and are not checked.
        await client.request("GET", server.url + "/private/2")
    assert len(server.requests_to("/robots.txt")) == 1  # cached per origin
    assert len(server.requests_to("/private/2")) == 1


async def test_other_agents_rules_apply_to_another_user_agent(server: LocalHttpServer) -> None:
    server.text("/robots.txt", "User-agent: jobforge\nDisallow:\n\nUser-agent: *\nDisallow: /\n")
    server.text("/page", "<p>x</p>")
    async with HttpClient(fast(user_agent="otherbot/1.0")) as client:
        with pytest.raises(RobotsDisallowedError):
            await client.get_text(server.url + "/page")


async def test_missing_robots_txt_allows_everything(server: LocalHttpServer) -> None:
    server.text("/page", "<p>x</p>")
    async with HttpClient(fast()) as client:
        assert (await client.get_text(server.url + "/page"))[0] == "<p>x</p>"


async def test_unreachable_robots_txt_disallows_everything(server: LocalHttpServer) -> None:
    server.route("/robots.txt", Reply(status=503))
    server.text("/page", "<p>x</p>")
    async with HttpClient(fast(max_retries=0)) as client:
        with pytest.raises(RobotsDisallowedError):
            await client.get_text(server.url + "/page")
    assert server.requests_to("/page") == []


async def test_robots_can_be_switched_off(server: LocalHttpServer) -> None:
    server.text("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.text("/page", "<p>x</p>")
    async with HttpClient(fast(respect_robots=False)) as client:
        assert (await client.get_text(server.url + "/page"))[0] == "<p>x</p>"
    assert server.requests_to("/robots.txt") == []


async def test_crawl_delay_slows_that_host_only(server: LocalHttpServer) -> None:
    server.text("/robots.txt", "User-agent: *\nCrawl-delay: 5\n")
    server.text("/a", "a")
    server.text("/b", "b")
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    with LocalHttpServer() as other:
        other.text("/c", "c")
        async with HttpClient(fast(), limiter=limiter) as client:
            await client.get_text(server.url + "/a")
            await client.get_text(server.url + "/b")
            for _ in range(3):
                await client.get_text(other.url + "/c")
    assert fake.sleeps == [5.0, 5.0]
    assert limiter.waits == {server.url.removeprefix("http://"): 2}


# --- rate limiting (counted, never timed) --------------------------------------------------


async def test_rate_limiter_spaces_requests_per_host() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    for _ in range(5):
        await limiter.acquire("a.example", rate=2.0)
        await limiter.acquire("b.example", rate=2.0)
    # Each of a's requests waits for its 0.5 s slot; b's slot has come meanwhile, so the
    # two hosts do not slow each other down.
    assert limiter.waits == {"a.example": 4}
    assert fake.sleeps == [0.5] * 4


async def test_rate_limiter_allows_a_burst_then_the_rate() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    waited = [await limiter.acquire("h", rate=1.0, burst=3) for _ in range(6)]
    assert waited == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]


async def test_rate_limit_zero_is_unlimited() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
    for _ in range(10):
        await limiter.acquire("h", rate=0)
    assert fake.sleeps == []
    assert limiter.waits == {}


async def test_client_rate_limit_counts_waits_per_host(server: LocalHttpServer) -> None:
    other = LocalHttpServer().start()
    try:
        server.json("/x", {})
        other.json("/y", {})
        fake = FakeTime()
        limiter = RateLimiter(clock=fake.clock, sleep=fake.sleep)
        async with HttpClient(fast(rate_limit=1.0), limiter=limiter) as client:
            for _ in range(4):
                await client.get_json(server.url + "/x")
            await client.get_json(other.url + "/y")
        assert len(server.requests_to("/x")) == 4
        host = server.url.removeprefix("http://")
        assert limiter.waits == {host: 3}
    finally:
        other.stop()


async def test_a_429_holds_back_the_whole_host(server: LocalHttpServer) -> None:
    server.route("/a", Reply(status=429, headers={"Retry-After": "10"}), Reply(body=b"{}"))
    server.json("/b", {})
    limiter_time, backoff_time = FakeTime(), FakeTime()
    limiter = RateLimiter(clock=limiter_time.clock, sleep=limiter_time.sleep)
    async with HttpClient(fast(), limiter=limiter, sleep=backoff_time.sleep) as client:
        await client.get_json(server.url + "/a")
        await client.get_json(server.url + "/b")
    assert backoff_time.sleeps == [10.0]
    # The limiter's clock did not move during the backoff, so the retry waited for the
    # host's deferred slot; the next request to another path found it free again.
    assert limiter_time.sleeps == [10.0]


# --- secrets and settings -----------------------------------------------------------------


def test_redact_url_hides_keys_and_passwords() -> None:
    assert redact_url("https://api.lever.co/v0/postings/acme/1?key=s3cr3t&mode=json") == (
        "https://api.lever.co/v0/postings/acme/1?key=***&mode=json"
    )
    assert redact_url("http://user:pw@proxy.example:3128/x") == "http://***@proxy.example:3128/x"
    assert redact_url("https://example.com/a?page=2") == "https://example.com/a?page=2"


async def test_secrets_never_reach_errors_or_logs(
    server: LocalHttpServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/apply", Reply(status=503), Reply(status=401, body=b"bad key"), method="POST")
    caplog.set_level(logging.DEBUG)
    async with HttpClient(fast(), sleep=FakeTime().sleep) as client:
        with pytest.raises(HttpError) as caught:
            await client.request("POST", server.url + "/apply?key=TOPSECRET", json={})
    assert "TOPSECRET" not in str(caught.value)
    assert "TOPSECRET" not in caplog.text
    assert "key=***" in caplog.text  # httpx's own request log line, redacted


def test_settings_from_adapter_options() -> None:
    ctx = AdapterContext(
        name="greenhouse",
        key="sources.gh",
        options={
            "user_agent": "bot/1",
            "timeout": "5",
            "max_retries": "2",
            "rate_limit": "0.5",
            "respect_robots": "no",
            "proxy": "http://proxy:3128",
        },
    )
    settings = HttpClientSettings.from_context(ctx, rate_limit=3.0)
    assert settings == HttpClientSettings(
        user_agent="bot/1",
        timeout=5.0,
        max_retries=2,
        rate_limit=0.5,
        respect_robots=False,
        proxy="http://proxy:3128",
    )
    assert HttpClientSettings.from_context(AdapterContext(name="x"), rate_limit=3.0).rate_limit == 3.0


def test_bad_settings_are_config_errors_naming_the_option() -> None:
    with pytest.raises(ConfigError, match=r"sources\.gh\.timeout"):
        HttpClientSettings.from_context(
            AdapterContext(name="g", key="sources.gh", options={"timeout": "soon"})
        )
    with pytest.raises(ConfigError, match=r"sources\.gh\.rate_limit: must be 0"):
        HttpClientSettings.from_context(
            AdapterContext(name="g", key="sources.gh", options={"rate_limit": "-1"})
        )


def test_http_options_list_every_setting_and_mark_the_proxy_secret() -> None:
    options = {o.name: o for o in http_options(rate_limit=2.0)}
    assert set(options) >= {"user_agent", "timeout", "max_retries", "rate_limit", "proxy", "respect_robots"}
    assert options["rate_limit"].default == 2.0
    assert options["proxy"].secret
