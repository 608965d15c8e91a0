"""The demo hours a newcomer can try at once (issue 12): they belong to inst1's base, whose operator sees its
classes and gets accepted rows from a workbook filled in from the template; seed_demo names a fictional person
with records (R-32 look-up) and seeds a certificate that verifies."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from bases.models import Base
from hours import crypto, services
from hours.demo import demo_classes, fictional_id
from hours.models import ApiKey, Certificate, IngestBatch, TrainingRecord
from plans.models import TrainingClass

pytestmark = pytest.mark.django_db

SUBJECT_LABELS = {"general": "公需科目", "professional": "专业科目"}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    again = io.StringIO()
    call_command("seed_demo", stdout=again)  # idempotent: names the same person again
    settings.DEBUG = False
    person = re.search(r"^HOURS_DEMO_PERSON (\S+)$", out.getvalue(), re.M).group(1)
    assert f"HOURS_DEMO_PERSON {person}" in again.getvalue()
    operator = User.objects.get(username="inst1_operator")
    base = Base.objects.get(institution__memberships__user=operator, application__isnull=False)
    return base, operator, person


def test_the_demo_hours_classes_and_key_belong_to_inst1s_base(demo):
    base, operator, _person = demo
    assert base.approving_authority.region_id == "510100"  # a Chengdu base
    assert TrainingRecord.objects.count() >= 3000
    assert set(TrainingRecord.objects.values_list("base", flat=True).distinct()) == {base.pk}
    assert list(ApiKey.objects.filter(scope="ingest").values_list("base", flat=True)) == [base.pk]
    assert set(TrainingRecord.objects.values_list("klass__base", flat=True).distinct()) == {base.pk}
    # Every class that carries records is one that takes them, and one of them is mixed.
    classes = demo_classes(base)
    assert {k.pk for k in classes} == set(TrainingRecord.objects.values_list("klass", flat=True).distinct())
    assert any(k.general_hours for k in classes)
    assert TrainingClass.objects.filter(base=base).count() > len(classes)  # an open class too, not ended yet


def test_the_demo_person_has_records_a_certificate_and_it_verifies(demo, client):
    base, _operator, person = demo
    assert person == fictional_id(1) and crypto.is_valid(person)
    cd_reviewer = User.objects.get(username="cd_reviewer")
    cert = Certificate.objects.get(person__id_hash=crypto.lookup_hash(person))
    found = services.person_lookup(actor=cd_reviewer, id_number=person, year=cert.year)
    assert len(found["records"]) == len(demo_classes(base)) + 1  # the mixed class: a record of each subject
    assert found["summary"]["total"] == cert.total > 0
    page = client.get(reverse("hours:verify"), {"code": cert.code}).content.decode()
    assert "该学时证明真实有效" in page and crypto.mask(person) in page and person not in page


def test_inst1_operator_sees_the_classes_and_a_template_filled_in_is_accepted(
    demo, client, django_capture_on_commit_callbacks
):
    base, operator, _person = demo
    client.force_login(operator)
    classes = demo_classes(base)
    assert all(k.title in client.get(reverse("plans:classes")).content.decode() for k in classes)
    template = load_workbook(io.BytesIO(client.get(reverse("hours:template")).content))
    sheet = template.worksheets[0]
    sheet.delete_rows(2)  # the example row, as the template asks
    n = 0
    for klass in classes:
        for subject in ("professional", "general"):
            if klass.hours_for(subject):
                n += 1
                sheet.append(
                    [
                        f"new-{n}",
                        fictional_id(5000 + n),
                        f"新学员{n}",
                        klass.pk,
                        SUBJECT_LABELS[subject],
                        float(klass.hours_for(subject)),
                        klass.ends_on.strftime("%Y/%m/%d"),
                        "510107",
                    ]
                )
    upload = io.BytesIO()
    template.save(upload)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("hours:upload", args=[base.pk]),
            {"file": SimpleUploadedFile("学时.xlsx", upload.getvalue())},
        )
    batch = IngestBatch.objects.get(base=base, source="excel")
    assert (batch.state, batch.total, batch.accepted_count, batch.refused_count) == ("done", n, n, 0)
    assert TrainingRecord.objects.filter(base=base, external_id__startswith="new-").count() == n
