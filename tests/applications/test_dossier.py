"""The complete file of an application for the authority's archive: every document, an index, an audited read."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services, workflow
from applications.dossier import expert_summary
from applications.models import Application
from audit.models import AuditEvent
from tests.applications.conftest import pdf
from tests.documents import flat_text, save_screens

pytestmark = pytest.mark.django_db


def recognised_with_objection(world):
    """An application driven to recognition, with a dismissed objection carrying evidence."""
    app = world.to_state("publicity")
    services.objection_lodge(
        application=app,
        name="王某",
        phone="13800001234",
        content="该机构师资名单中有人已离职，请核实。",
        evidence=pdf("离职证明.pdf"),
    )
    objection = app.objections.get()
    services.objection_resolve(
        actor=world.cd_reviewer, objection_id=objection.pk, upheld=False, outcome="经核实，名单属实。"
    )
    Application.objects.filter(pk=app.pk).update(
        publicity_starts_on=timezone.localdate() - timedelta(days=10),
        publicity_ends_on=timezone.localdate() - timedelta(days=1),
    )
    app.refresh_from_db()
    workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)
    app.refresh_from_db()
    return app


def dossier(client, app):
    response = client.get(reverse("applications:dossier", args=[app.pk]))
    if response.status_code != 200:
        return response, None
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_dossier_holds_every_attachment_the_documents_and_an_index(client, world):
    app = recognised_with_objection(world)
    client.force_login(world.cd_approver)
    response, archive = dossier(client, app)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = archive.namelist()
    for expected in [
        "00-目录.pdf",
        "01-申报表.pdf",
        "03-专家评审汇总.pdf",
        "04-实地考察报告.pdf",
        "05-认定决定.pdf",
        "06-公示及公布公告.pdf",
        "07-异议及处理结果.pdf",
    ]:
        assert expected in names
    attachments = [a for a in app.attachments.all() if a.is_current]
    stored = sorted(n.rsplit("/", 1)[1] for n in names if "/" in n)
    assert stored == sorted(a.original_name for a in attachments)
    assert any(n.startswith("07-异议证据/") for n in names)
    # Each stored document is the uploaded one, byte for byte.
    by_leaf = {n.rsplit("/", 1)[1]: n for n in names if "/" in n}
    for a in attachments:
        with a.file.open("rb") as f:
            assert archive.read(by_leaf[a.original_name]) == f.read()
    index = archive.read("00-目录.pdf")
    save_screens("dossier-index", index, pages=1)
    index_text = flat_text(index)
    assert "申报档案目录" in index_text
    for n in names:
        if n != "00-目录.pdf":
            assert n in index_text, n


def test_dossier_parts_show_scores_visit_decision_notices_and_objections(client, world):
    app = recognised_with_objection(world)
    client.force_login(world.cd_approver)
    _response, archive = dossier(client, app)
    experts = flat_text(archive.read("03-专家评审汇总.pdf"))
    assert "专家评审汇总" in experts and "平均分" in experts and world.inst.name in experts
    save_screens("dossier-experts", archive.read("03-专家评审汇总.pdf"), pages=1)
    assert "属实" in flat_text(archive.read("04-实地考察报告.pdf"))
    decision = flat_text(archive.read("05-认定决定.pdf"))
    assert "予以认定" in decision and "符合条件" in decision
    notices = flat_text(archive.read("06-公示及公布公告.pdf"))
    assert "公示" in notices and app.base.certificate_no in notices
    objections = flat_text(archive.read("07-异议及处理结果.pdf"))
    assert "异议不成立" in objections and "经核实，名单属实。" in objections
    assert "13800001234" not in objections and "1234" in objections
    assert "测试继续教育基地" in flat_text(archive.read("01-申报表.pdf"))


def test_expert_names_are_shown_to_the_approving_authority_only(world):
    app = world.to_state("site_visit")
    named = expert_summary(app, show_names=True)
    anonymous = expert_summary(app, show_names=False)
    names = {e.display_name for e in world.experts[:3]}
    assert {r["expert"] for r in named["rows"]} == names
    assert {r["expert"] for r in anonymous["rows"]} == {"专家1", "专家2", "专家3"}
    assert [r["scores"] for r in named["rows"]] == [r["scores"] for r in anonymous["rows"]]
    assert anonymous["average"] == 79


def test_province_reads_a_municipal_dossier_without_expert_names(client, world):
    app = world.to_state("site_visit")
    client.force_login(world.sc_reviewer)
    response, archive = dossier(client, app)
    assert response.status_code == 200
    text = flat_text(archive.read("03-专家评审汇总.pdf"))
    assert "专家1" in text and world.experts[0].display_name not in text
    client.force_login(world.cd_reviewer)
    _response, archive = dossier(client, app)
    assert world.experts[0].display_name in flat_text(archive.read("03-专家评审汇总.pdf"))


def test_dossier_read_is_audited(client, world):
    app = world.to_state("site_visit")
    client.force_login(world.cd_reviewer)
    dossier(client, app)
    event = AuditEvent.objects.get(action="application.dossier_exported")
    assert event.actor == world.cd_reviewer and event.object_id == str(app.pk)
    assert event.organization == world.chengdu


@pytest.mark.parametrize("who", ["operator", "other_operator", "my_reviewer", "expert", "anonymous"])
def test_dossier_is_404_to_everyone_but_the_authority(client, world, who):
    app = world.to_state("site_visit")
    if who != "anonymous":
        client.force_login(world.experts[0] if who == "expert" else getattr(world, who))
    response, _archive = dossier(client, app)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="application.dossier_exported").exists()


def test_dossier_of_a_fresh_submission_has_empty_parts_not_errors(client, world):
    app = world.submitted()
    client.force_login(world.cd_reviewer)
    response, archive = dossier(client, app)
    assert response.status_code == 200
    assert "尚未作出认定决定" in flat_text(archive.read("05-认定决定.pdf"))


def test_detail_page_offers_the_dossier_to_the_authority_only(client, world):
    app = world.submitted()
    url = reverse("applications:dossier", args=[app.pk])
    client.force_login(world.cd_reviewer)
    assert url in client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    client.force_login(world.operator)
    assert url not in client.get(reverse("applications:detail", args=[app.pk])).content.decode()


def test_r14_recognised_form_keeps_its_version_after_review_documents_are_added(world):
    """Site-visit materials and objection evidence are the review's documents, not the applicant's form."""
    from applications.documents import form_version

    app = recognised_with_objection(world)
    version = form_version(app)
    assert not version.is_draft and version.number == app.version
