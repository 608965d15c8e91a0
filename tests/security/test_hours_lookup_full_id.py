"""Issue 13, "The hours look-up API applies the same full-ID permission as the page" (R-32; personal data).

Reproduction replayed here: `POST /api/v1/hours/people/lookup/` with `full=true` returned the full resident ID
number (and wrote an `hours.id_number_read` row) to any authority staff member, such as an approver, whom the
page `/hours/lookup/` shows only the masked number. `hours.services.person_lookup` now applies
`may_read_full_id` for both.
"""

import pytest

from audit.models import AuditEvent
from hours import crypto, services
from hours.ingest import ingest_records
from tests.hours.conftest import HoursWorld, make_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def hw(db):
    world = HoursWorld()
    outcome = ingest_records(base=world.b, records=[world.record(1)], source="api")
    assert not outcome.refused
    return world


def lookup(client, user, *, full):
    client.force_login(user)
    return client.post(
        "/api/v1/hours/people/lookup/",
        {"id_number": make_id(1), "year": 2026, "full": full},
        content_type="application/json",
    )


def test_api_masks_the_id_number_for_staff_who_may_not_read_it_in_full(client, hw):
    """Issue 13 / R-32: an approver asking `full=true` gets the masked number and no full-ID read is logged."""
    response = lookup(client, hw.cd_approver, full=True)

    assert response.status_code == 200
    assert response.json()["id_number"] == crypto.mask(make_id(1))
    assert make_id(1) not in response.content.decode()
    assert not AuditEvent.objects.filter(action="hours.id_number_read").exists()
    assert AuditEvent.objects.filter(action="hours.person_lookup", actor=hw.cd_approver).count() == 1


def test_service_applies_the_full_id_permission_itself(hw):
    """The rule is the service's, so any caller (page, API, task) gets it."""
    result = services.person_lookup(actor=hw.cd_approver, id_number=make_id(1), year=2026, full=True)
    assert result["id_number"] == crypto.mask(make_id(1))


def test_a_reviewer_still_reads_the_full_number_and_the_read_is_audited(client, hw):
    """The control: an authority reviewer may read the full number; each read is an audit row."""
    response = lookup(client, hw.cd_reviewer, full=True)

    assert response.json()["id_number"] == make_id(1)
    assert AuditEvent.objects.filter(action="hours.id_number_read", actor=hw.cd_reviewer).count() == 1
