"""The figures run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats import figures, hours_figures
from stats.scope import Scope

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def every_figure(scope):
    for g in figures.BASE_GROUPS:
        figures.bases_by(scope, g)
    figures.bases_summary(scope)
    figures.applications_by_batch(scope)
    for g in figures.PLAN_GROUPS:
        figures.plans_by(scope, g)
    figures.plans_summary(scope)
    list(figures.plans_missing(scope))
    for g in figures.SUPERVISION_GROUPS:
        figures.supervision_by(scope, g)
    figures.supervision_summary(scope)
    for g in hours_figures.HOURS_GROUPS:
        hours_figures.hours_by_live(scope, g)
    hours_figures.hours_summary_live(scope)


def count_queries(scope):
    with CaptureQueriesContext(connection) as ctx:
        every_figure(scope)
    return len(ctx.captured_queries)


def add_rows(world, n):
    for _ in range(n):
        base = world.base(fields=("工程技术", "经济管理"))
        world.plan(base, state="filed")
        klass = world.klass(base, public_interest=True)
        person = world.person()
        world.record(klass, person, 30)


def test_queries_do_not_grow_with_rows(world):
    add_rows(world, 2)
    scope = Scope(YEAR, authority_ids=frozenset({world.chengdu.pk}))
    few = count_queries(scope)
    province_few = count_queries(Scope(YEAR))
    add_rows(world, 12)
    assert count_queries(scope) == few
    assert count_queries(Scope(YEAR)) == province_few
