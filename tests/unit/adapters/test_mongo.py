"""The ``mongo`` adapters' registration, configuration and connection handling."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobforge.adapters.mongo._options import MongoOptions
from jobforge.adapters.mongo.repository import MongoJobRepository
from jobforge.adapters.mongo.store import MongoAppStore
from jobforge.core.errors import ConfigError
from jobforge.hosts.cli import main
from jobforge.hosts.config import load_settings
from jobforge.hosts.container import build_adapter
from jobforge.hosts.plugin_host import load_plugins
from jobforge.testing.factories import make_job

URL = "mongodb://db1:27017,db2:27017/?replicaSet=rs0"


def _build(tmp_path: Path, env: dict[str, str], **overrides: object) -> tuple[object, object]:
    settings = load_settings(env=env, overrides={"data_dir": str(tmp_path), **overrides})
    host = load_plugins(strict=True)
    return (
        build_adapter(host, "repositories", "repository", settings),
        build_adapter(host, "stores", "store", settings),
    )


def test_importing_the_plugin_loads_no_driver() -> None:
    code = (
        "import sys, jobforge.adapters.mongo.plugin, jobforge.adapters.mongo; "
        "assert not {'beanie', 'pymongo', 'motor'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plugins_lists_the_repository_and_the_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["plugins", "--json", "--data-dir", str(tmp_path)], env={})
    assert result.exit_code == 0, result.output
    mongo = next(p for p in json.loads(result.output)["plugins"] if p["name"] == "mongo")
    assert mongo["adapters"] == {"repository": ["mongo"], "store": ["mongo"]}


def test_one_mongo_section_serves_the_repository_and_the_store(tmp_path: Path) -> None:
    env = {
        "JOBFORGE_REPOSITORY": "mongo",
        "JOBFORGE_STORE": "mongo",
        "JOBFORGE_MONGO_URL": URL,
        "JOBFORGE_MONGO_DATABASE": "jobs_prod",
    }
    repository, store = _build(tmp_path, env, **{"mongo.pool_size": 50, "store.pool_size": 10})
    assert isinstance(repository, MongoJobRepository)
    assert isinstance(store, MongoAppStore)
    assert repository.options == MongoOptions(url=URL, database="jobs_prod", pool_size=50)
    assert store.options == MongoOptions(url=URL, database="jobs_prod", pool_size=10)


def test_the_toml_section(tmp_path: Path) -> None:
    config = tmp_path / "jobforge.toml"
    config.write_text(
        f'repository = "mongo"\nstore = "mongo"\n[mongo]\nurl = "{URL}"\ndatabase = "jf"\n'
        "pool_size = 20\nmin_pool_size = 2\nconnect_timeout = 3\nserver_selection_timeout = 4.5\n"
        'socket_timeout = 30\ntransactions = "never"\n',
        encoding="utf-8",
    )
    settings = load_settings(config, env={}, overrides={"data_dir": str(tmp_path)})
    repository = build_adapter(load_plugins(), "repositories", "repository", settings)
    options = repository.options
    assert options == MongoOptions(
        url=URL,
        database="jf",
        pool_size=20,
        min_pool_size=2,
        connect_timeout=3.0,
        server_selection_timeout=4.5,
        socket_timeout=30.0,
        transactions="never",
    )
    assert options.client_kwargs() == {
        "maxPoolSize": 20,
        "minPoolSize": 2,
        "connectTimeoutMS": 3000,
        "serverSelectionTimeoutMS": 4500,
        "socketTimeoutMS": 30000,
        "appname": "jobforge",
        "tz_aware": True,
    }


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({}, "repository.url"),
        ({"mongo.url": "http://db:27017"}, "repository.url"),
        ({"mongo.url": URL, "mongo.pool_size": 0}, "mongo.pool_size"),
        ({"mongo.url": URL, "mongo.transactions": "sometimes"}, "mongo.transactions"),
        ({"mongo.url": URL, "repository.pool_size": "many"}, "repository.pool_size"),
        ({"mongo.url": URL, "repository.database": "a.b"}, "repository.database"),
        ({"mongo.url": URL, "mongo.replica": "rs0"}, "mongo.replica"),
    ],
)
def test_bad_settings_name_their_key(tmp_path: Path, overrides: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _build(tmp_path, {"JOBFORGE_REPOSITORY": "mongo"}, **overrides)
    assert caught.value.key == key


def test_a_missing_url_says_how_to_set_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="JOBFORGE_MONGO_URL"):
        _build(tmp_path, {"JOBFORGE_REPOSITORY": "mongo"})


def test_building_connects_to_nothing() -> None:
    """Nothing happens before the first call, so an unreachable server costs nothing until used."""

    async def run() -> None:
        repository = MongoJobRepository(
            MongoOptions(url="mongodb://127.0.0.1:9/", server_selection_timeout=0.2)
        )
        await repository.close()
        await repository.close()
        with pytest.raises(RuntimeError, match="closed"):
            await repository.count()

    asyncio.run(run())


def test_unreachable_server_is_an_error_naming_it() -> None:
    from pymongo.errors import PyMongoError

    async def run() -> None:
        repository = MongoJobRepository(
            MongoOptions(url="mongodb://127.0.0.1:9/", server_selection_timeout=0.2)
        )
        try:
            with pytest.raises(PyMongoError, match=r"127\.0\.0\.1:9"):
                await repository.count()
        finally:
            await repository.close()

    asyncio.run(run())


def test_an_adapter_belongs_to_the_event_loop_that_opened_it(mongo_url: tuple[str, str]) -> None:
    url, database = mongo_url
    repository = MongoJobRepository(MongoOptions(url=url, database=database))
    job = make_job()

    async def first() -> None:
        await repository.open()
        await repository.upsert([job])

    async def second() -> None:
        with pytest.raises(RuntimeError, match="another event loop"):
            await repository.get(job.id)

    asyncio.run(first())
    asyncio.run(second())


async def test_indexes_are_declared_on_the_collections(mongo_url: tuple[str, str]) -> None:
    url, database = mongo_url
    options = MongoOptions(url=url, database=database)
    repository, store = MongoJobRepository(options), MongoAppStore(options)
    await repository.open()
    await store.open()
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url)
    try:
        db = client[database]
        jobs = await db["jobs"].index_information()
        assert jobs["source_keys_unique"]["unique"] is True
        assert {"url", "fingerprint"} <= set(jobs)
        searches = await db["saved_searches"].index_information()
        assert searches["tenant_user_newest_first"]["key"] == [
            ("tenant_id", 1),
            ("user_id", 1),
            ("created_at", -1),
            ("seq", -1),
        ]
        assert (await db["api_keys"].index_information())["key_hash_unique"]["unique"] is True
        assert (await db["users"].index_information())["tenant_user"]["unique"] is True
    finally:
        await client.close()
        await repository.close()
        await store.close()


DEPLOYMENT = Path(__file__).resolve().parents[3] / "docs" / "deployment.md"


def _replica_blocks() -> tuple[str, str]:
    """The TOML and the shell block of "A replica's configuration" in docs/deployment.md."""
    section = DEPLOYMENT.read_text(encoding="utf-8").split("### A replica's configuration", 1)[1]
    toml = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    shell = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert toml and shell
    return toml.group(1), shell.group(1)


def test_the_documented_replica_config_is_valid_and_its_environment_says_the_same(tmp_path: Path) -> None:
    toml, shell = _replica_blocks()
    config = tmp_path / "jobforge.toml"
    config.write_text(toml, encoding="utf-8")
    from_file = load_settings(config, env={}, overrides={"data_dir": str(tmp_path)})
    env: dict[str, str] = {}
    for line in shell.splitlines():
        words = shlex.split(line)
        if words[:1] == ["export"]:
            env.update(word.split("=", 1) for word in words[1:])  # type: ignore[misc]
    from_env = load_settings(env=env, overrides={"data_dir": str(tmp_path)})
    assert from_env == from_file
    repository, store = (
        build_adapter(load_plugins(), registry, section, from_file)
        for registry, section in (("repositories", "repository"), ("stores", "store"))
    )
    assert isinstance(repository, MongoJobRepository)
    assert isinstance(store, MongoAppStore)
    assert repository.options.url.endswith("/?replicaSet=rs0&authSource=admin")
    assert repository.options == store.options


def test_the_documented_mongo_section_builds_both_adapters(tmp_path: Path) -> None:
    doc = (DEPLOYMENT.parent / "configuration.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", doc.split("## MongoDB: repository and store", 1)[1], re.DOTALL)
    assert block
    config = tmp_path / "jobforge.toml"
    config.write_text(block.group(1).replace("# pool_size = 20", "pool_size = 20"), encoding="utf-8")
    settings = load_settings(config, env={}, overrides={"data_dir": str(tmp_path)})
    host = load_plugins()
    repository = build_adapter(host, "repositories", "repository", settings)
    store = build_adapter(host, "stores", "store", settings)
    assert repository.options == MongoOptions(url="mongodb://db1,db2,db3/?replicaSet=rs0")
    assert store.options == MongoOptions(url="mongodb://db1,db2,db3/?replicaSet=rs0", pool_size=20)
