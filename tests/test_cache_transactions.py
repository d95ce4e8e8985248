"""The shared data version (nansha/ops/cache.py) is written once per committed transaction, never inside one.

With the database cache (no REDIS_URL), a write inside a long transaction (an import, a restore) would hold the
version's row locked until the commit, and other processes could not see it before then anyway. Here the shared
cache is the database cache the base settings use without Redis (tests/test_shared_state.py runs two processes).
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from nansha.ops import cache

from .factories import enterprise, park

TABLE = "nansha_test_shared_cache"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE},
    }
    call_command("createcachetable", verbosity=0)
    caches["shared"].clear()
    yield caches["shared"]
    caches["shared"].clear()


def shared_version():
    return caches["shared"].get(cache.VERSION_KEY)


def writes(queries):
    return [
        q["sql"] for q in queries if TABLE in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]


def test_many_saves_in_one_transaction_write_the_shared_version_once_after_the_commit(database_cache):
    before = cache.data_version()
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            for n in range(20):
                enterprise(f"企业{n}")
                park(f"园区{n}")
            inside = writes(queries)
            # This connection sees its change at once; the others keep the committed version until the commit.
            assert cache.data_version() != before and shared_version() == int(before)
    assert inside == []
    assert len(writes(queries)) == 1
    assert shared_version() != int(before) and cache.data_version() == str(shared_version())


def test_a_save_outside_a_transaction_writes_it_at_once(database_cache):
    before = cache.data_version()
    enterprise("企业")  # the factory's create and the two link changes: each commits by itself
    assert shared_version() != int(before)


def test_a_rolled_back_transaction_leaves_it(database_cache):
    before = cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        enterprise("不会保存的企业")
        raise RuntimeError
    assert cache.data_version() == before


def test_a_change_in_a_rolled_back_savepoint_is_still_published_by_the_outer_commit(database_cache):
    before = cache.data_version()
    with transaction.atomic():
        enterprise("外层企业")
        with pytest.raises(RuntimeError), transaction.atomic():
            enterprise("内层企业")
            raise RuntimeError
    assert shared_version() != int(before)


def test_a_change_only_inside_a_savepoint_that_commits_is_published(database_cache):
    before = cache.data_version()
    with transaction.atomic():
        with transaction.atomic():
            enterprise("内层企业")
        enterprise("外层企业")  # finds the savepoint's pending publication: no second one
    assert shared_version() != int(before)
