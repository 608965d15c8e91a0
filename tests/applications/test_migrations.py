"""Migration 0003 moves existing applications to the matching state of Art. 10's order (R-16)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from applications.models import Application

BEFORE = [("applications", "0002_priority_help_text")]


def _raw_states(ids):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, state FROM applications_application WHERE id IN %s", [tuple(ids)])
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_existing_applications_move_to_the_matching_state_and_back(world):
    apps = {
        state: world.to_state(state, **world.applicant(f"{state}学院"))
        for state in ("submitted", "formal_review", "demonstration", "site_visit", "panel_review", "decision")
    }
    ids = [a.pk for a in apps.values()]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = _raw_states(ids)
    assert [old[apps[s].pk] for s in apps] == [
        "submitted",
        "under_review",
        "expert_review",
        "site_visit",
        "site_visit",  # the old workflow decided at the visit
        "site_visit",
    ]
    # Forward again: an application the old workflow left at the visit stays there, the rest take their new names.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = dict(Application.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert [new[apps[s].pk] for s in apps] == [
        "submitted",
        "formal_review",
        "demonstration",
        "site_visit",
        "site_visit",
        "site_visit",
    ]
