"""Issue 13, "Rectification evidence can be downloaded by the authority through a permission-checked view"
(R-27 rectification; DESIGN.md: uploads are served only through a permission check).

Reproduction replayed here: the evidence a base attached to its rectification reply was stored but no page
served it, so the authority checking the reply could not open it. It is now served at
`/inspections/rectifications/<id>/evidence/<evidence_id>/` to those who may see the rectification (the
approving authority, the province, the base's own institution) and answers 404 to everyone else.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, Role
from applications.demo import tiny_pdf
from inspections import services
from inspections.models import Rectification
from tests.factories import OrganizationFactory, member
from tests.inspections.conftest import World

pytestmark = pytest.mark.django_db

PDF = tiny_pdf("整改证明.pdf")


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def w(db):
    return World()


@pytest.fixture
def evidence(w):
    """A rectification ordered after a failed spot check, replied to by the base with one PDF."""
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="补齐师资",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    rect = Rectification.objects.get(inspection=insp)
    upload = SimpleUploadedFile("整改证明.pdf", PDF, content_type="application/pdf")
    services.rectification_reply(actor=w.operator, rectification_id=rect.pk, reply="已整改", evidence=upload)
    return rect.evidence.get()


def url_of(evidence, rectification_id=None):
    return reverse(
        "inspections:rectification_evidence",
        args=[rectification_id or evidence.rectification_id, evidence.pk],
    )


@pytest.mark.parametrize("who", ["cd_reviewer", "cd_approver", "sc_reviewer", "admin", "operator"])
def test_authority_province_and_the_base_download_the_evidence(client, w, evidence, who):
    """Issue 13 / R-27: the approving authority, the province and the institution itself get the file."""
    client.force_login(getattr(w, who))
    response = client.get(url_of(evidence))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anyone_outside_the_jurisdiction_gets_404(client, w, evidence):
    """Issue 13: another city's authority, another institution and an expert see nothing."""
    expert_pool = OrganizationFactory(kind=Organization.Kind.EXPERT_POOL, region_id="510000")
    outsiders = [w.my_approver, w.other_operator, member(expert_pool, Role.EXPERT, username="expert_x")]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url_of(evidence)).status_code == 404, user


def test_evidence_is_found_only_under_its_own_rectification(client, w, evidence):
    """A guessed pair (another rectification's id with this file's id) is 404 even for the authority."""
    client.force_login(w.cd_reviewer)
    assert client.get(url_of(evidence, rectification_id=evidence.rectification_id + 1)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, evidence):
    response = client.get(url_of(evidence))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rectification_page_links_the_evidence(client, w, evidence):
    client.force_login(w.cd_reviewer)
    page = client.get(reverse("inspections:rectification", args=[evidence.rectification_id])).content.decode()
    assert url_of(evidence) in page
