"""The plugin author kit: contract suites, fakes and factories.

Installed as a pytest plugin (entry point ``pytest11``). A third-party
adapter proves itself by subclassing a contract suite::

    from jobforge.testing.contracts import JobRepositoryContract

    class TestMyRepository(JobRepositoryContract):
        @pytest.fixture
        async def repository(self, tmp_path):
            repo = MyRepository(tmp_path)
            yield repo
            await repo.close()
"""
