"""People of a batch (hours.ingest.persons): created once, even when a concurrent batch creates them first."""

import pytest
from django.db import connection

from hours import crypto
from hours.models import Person
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_person_created_by_a_concurrent_batch_is_read_back_not_duplicated(hw):
    """The COPY fast path meets a person another batch created after the look-up: the savepoint undoes the COPY
    and the ON CONFLICT path creates only the others; both ids come back, and only the new one counts as new."""
    from hours.ingest.persons import _create_persons

    ingest(hw, hw.record(1))
    existing = Person.objects.get()
    records = [
        {"id_hash": crypto.lookup_hash(make_id(n)), "id_number": make_id(n), "name": f"学员{n}"}
        for n in (1, 2)
    ]
    known = {}
    created = _create_persons(records, known)
    assert Person.objects.count() == 2
    assert known[records[0]["id_hash"]] == existing.pk and records[1]["id_hash"] in known
    assert created == {records[1]["id_hash"]}
    assert crypto.decrypt(Person.objects.get(pk=known[records[1]["id_hash"]]).id_encrypted) == make_id(2)
