"""The daily precomputation stores the hours figures the dashboard then reads (R-32 at province scale)."""

import pytest

from stats import snapshots
from stats.hours_figures import hours_by_live
from stats.models import FigureSnapshot
from stats.scope import Scope
from stats.tasks import precompute_figures

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_precomputed_figures_equal_the_live_ones_and_carry_their_time(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    base = world.base()
    klass = world.klass(base)
    world.record(klass, world.person(), 40)
    from stats.services import figures_precompute

    assert figures_precompute(year=YEAR) > 0
    scope = Scope(YEAR, authority_ids=frozenset({world.chengdu.pk}))
    rows, computed_at = snapshots.hours_by(scope, "prefecture")
    assert rows == hours_by_live(scope, "prefecture")
    stored = FigureSnapshot.objects.get(
        year=YEAR, scope_key=scope.key, section="hours", group_by="prefecture"
    )
    assert computed_at == stored.computed_at
    # A new record shows only after the next run: the stored rows are what the page says they are.
    world.record(klass, world.person(), 10)
    assert snapshots.hours_summary(scope)[0]["hours"] == 40.0
    figures_precompute(year=YEAR)
    assert snapshots.hours_summary(scope)[0]["hours"] == 50.0
    assert FigureSnapshot.objects.filter(year=YEAR, scope_key=scope.key).count() == 6  # re-runs replace


def test_the_beat_task_stores_this_year_and_last_one_task_per_scope(world, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr("stats.tasks.current_year", lambda: YEAR)
    world.base()
    queued = precompute_figures.apply().get()
    assert queued == 2 * (
        1 + 21 + 1
    )  # the province, 21 prefectures, the one authority with a base, two years
    assert FigureSnapshot.objects.filter(year=YEAR - 1, scope_key="all").exists()
    assert FigureSnapshot.objects.filter(year=YEAR, scope_key=f"a:{world.chengdu.pk}").count() == 6


def test_scope_keys_round_trip():
    for scope in (Scope(YEAR), Scope(YEAR, prefecture="510700"), Scope(YEAR, authority_ids=frozenset({7}))):
        assert Scope.from_key(YEAR, scope.key) == scope
    with pytest.raises(ValueError):
        Scope.from_key(YEAR, "x:1")


def test_a_scope_without_a_snapshot_is_computed_live(world):
    scope = Scope(YEAR, authority_ids=frozenset({world.chengdu.pk}), prefecture="510100")
    rows, _at = snapshots.hours_by(scope, "subject")
    assert [r["key"] for r in rows] == ["general", "professional"]


def test_stored_rows_speak_the_language_of_the_reader(world):
    from django.utils import translation

    from stats.services import figures_precompute

    base = world.base()
    world.record(world.klass(base), world.person(), 40)
    with translation.override("zh-hans"):
        figures_precompute(year=YEAR)
    with translation.override("en"):
        rows, _at = snapshots.hours_by(Scope(YEAR), "subject")
    assert [r["label"] for r in rows] != ["公需科目", "专业科目"]


def test_a_second_beat_queues_nothing_the_same_day(world, settings, monkeypatch):
    """Issue 16: exactly one beat; should a second fire the nightly job, the day's lock in the shared cache makes it
    do nothing."""
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "beat2"}
    }
    cache.clear()
    monkeypatch.setattr("stats.tasks.current_year", lambda: YEAR)
    world.base()
    assert precompute_figures.apply().get() == 2 * (1 + 21 + 1)
    assert precompute_figures.apply().get() == {"skipped": "already run today"}
