import threading

import pytest
from django.db import connection

from rankings.models import LedgerEntry
from rankings.services import ledger_add
from teams.models import Team
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _add(team, amount, key, source="match"):
    return ledger_add(
        team, amount=amount, source=source, reason="test", idempotency_key=key
    )


def test_ledger_add_updates_total():
    team = TeamFactory()
    entry, created = _add(team, 25, "k1")
    assert created is True
    assert entry.amount == 25
    assert team.total_points == 25
    assert Team.objects.get(pk=team.pk).total_points == 25


def test_ledger_add_used_key_is_noop():
    team = TeamFactory()
    first, _ = _add(team, 10, "same-key")
    second, created = _add(team, 99, "same-key")
    assert created is False
    assert second.pk == first.pk
    assert second.amount == 10
    assert LedgerEntry.objects.filter(team=team).count() == 1
    assert Team.objects.get(pk=team.pk).total_points == 10


def test_ledger_add_negative_amount():
    team = TeamFactory()
    _add(team, 10, "a")
    _add(team, -4, "b", source="adjustment")
    assert Team.objects.get(pk=team.pk).total_points == 6


def test_ledger_add_unknown_source():
    team = TeamFactory()
    with pytest.raises(ValueError):
        _add(team, 1, "x", source="bonus")
    assert not LedgerEntry.objects.exists()


def test_entry_update_raises():
    team = TeamFactory()
    entry, _ = _add(team, 5, "k")
    entry.amount = 500
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=500)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 5


def test_entry_delete_raises():
    team = TeamFactory()
    entry, _ = _add(team, 5, "k")
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_ledger_concurrent_additions(postgres_only):
    team = TeamFactory()
    threads_count = 20
    barrier = threading.Barrier(threads_count)
    errors = []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            # Every thread adds its own entry, and every thread also retries
            # one shared key, which must be stored once.
            _add(Team(pk=team.pk), index + 1, f"thread:{index}")
            _add(Team(pk=team.pk), 1000, "shared")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    entries = LedgerEntry.objects.filter(team=team)
    assert entries.count() == threads_count + 1
    expected = sum(range(1, threads_count + 1)) + 1000
    assert sum(entries.values_list("amount", flat=True)) == expected
    assert Team.objects.get(pk=team.pk).total_points == expected
