"""Fixtures for the recognition workflow: authorities, a batch per level, complete applications."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization, Role
from applications import services, workflow
from applications.demo import fill_complete, tiny_pdf
from tests.factories import InstitutionFactory, OrganizationFactory, member


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, tiny_pdf(name), content_type="application/pdf")


class World:
    """Two cities, the province, an expert pool, institutions and one user per role."""

    def __init__(self):
        self.province = OrganizationFactory(
            name="四川省人力资源和社会保障厅", kind=Organization.Kind.PROVINCIAL_HR, region_id="510000"
        )
        self.chengdu = OrganizationFactory(
            name="成都市人力资源和社会保障局", region_id="510100", parent=self.province
        )
        self.mianyang = OrganizationFactory(
            name="绵阳市人力资源和社会保障局", region_id="510700", parent=self.province
        )
        self.pool = OrganizationFactory(name="专家库", kind=Organization.Kind.EXPERT_POOL, region_id="510000")
        self.inst = InstitutionFactory(region_id="510107", name="测试学院")
        self.other_inst = InstitutionFactory(region_id="510104", name="另一学院")
        self.my_inst = InstitutionFactory(region_id="510703", name="绵阳学院")
        self.operator = member(self.inst, Role.BASE_OPERATOR, username="op")
        self.inst_admin = member(self.inst, Role.INSTITUTION_ADMIN, username="inst_admin")
        self.host = member(self.inst, Role.HOST_REVIEWER, username="host")
        self.other_operator = member(self.other_inst, Role.BASE_OPERATOR, username="other_op")
        self.cd_admin = member(self.chengdu, Role.AUTHORITY_ADMIN, username="cd_admin")
        self.cd_reviewer = member(self.chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer")
        self.cd_approver = member(self.chengdu, Role.AUTHORITY_APPROVER, username="cd_approver")
        self.my_reviewer = member(self.mianyang, Role.AUTHORITY_REVIEWER, username="my_reviewer")
        self.my_approver = member(self.mianyang, Role.AUTHORITY_APPROVER, username="my_approver")
        self.sc_admin = member(self.province, Role.AUTHORITY_ADMIN, username="sc_admin")
        self.sc_reviewer = member(self.province, Role.AUTHORITY_REVIEWER, username="sc_reviewer")
        self.sc_approver = member(self.province, Role.AUTHORITY_APPROVER, username="sc_approver")
        self.experts = [member(self.pool, Role.EXPERT, username=f"expert{i}") for i in range(1, 5)]
        now = timezone.now()
        window = {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=30)}
        self.cd_batch = services.batch_create(
            actor=self.cd_admin, authority=self.chengdu, title="成都批次", **window
        )
        self.sc_batch = services.batch_create(
            actor=self.sc_admin, authority=self.province, title="省级批次", **window
        )

    def applicant(self, name, region_id="510104"):
        """Another institution in Chengdu and its operator, as `to_state(..., **world.applicant(name))` takes."""
        institution = InstitutionFactory(region_id=region_id, name=name)
        return {"institution": institution, "operator": member(institution, Role.BASE_OPERATOR)}

    def draft(self, batch=None, operator=None, institution=None):
        return services.application_create(
            actor=operator or self.operator,
            batch=batch or self.cd_batch,
            institution=institution or self.inst,
        )

    def complete(self, batch=None, trainees=2500, **kwargs):
        app = self.draft(batch, **kwargs)
        fill_complete(
            app,
            kwargs.get("operator") or self.operator,
            base_name="测试继续教育基地",
            fields=["数字经济"],
            trainees=trainees,
        )
        app.refresh_from_db()
        return app

    def submitted(self, batch=None, **who):
        """Submit a complete application; `who` names another `institution` and its `operator`."""
        app = self.complete(batch, **who)
        return workflow.MACHINE.run(app, "submit", actor=who.get("operator") or self.operator)

    def reviewers_of(self, app):
        return (
            (self.sc_reviewer, self.sc_approver)
            if app.batch.approving_authority == self.province
            else (self.cd_reviewer, self.cd_approver)
        )

    def resolve(self, app, reviewer=None, passed=True, held_on=None):
        """Record the panel's resolution on `app` at a meeting of its batch."""
        return services.panel_resolutions_record(
            actor=reviewer or self.reviewers_of(app)[0],
            batch=app.batch,
            held_on=held_on or timezone.localdate(),
            members="评审组",
            resolutions={app.pk: {"passed": passed, "votes_for": 5, "votes_against": 0, "votes_abstain": 0}},
        )

    def to_state(self, state, batch=None, scores=None, **who):
        """Drive a fresh application through the real workflow up to `state`; `scores` gives each of the three
        experts' score of the first rubric item (the others are fixed)."""
        app = self.submitted(batch, **who)
        reviewer, approver = self.reviewers_of(app)
        if state == "submitted":
            return app
        workflow.MACHINE.run(app, "start_review", actor=reviewer)
        if state == "formal_review":
            return app
        workflow.MACHINE.run(app, "pass_formal_review", actor=reviewer)
        if state == "demonstration":
            return app
        assigned = services.expert_assign(
            actor=reviewer, application=app, experts=self.experts[:3], reason="该领域专家不足"
        )
        for a, staff in zip(assigned, scores or (20, 20, 20), strict=True):
            services.assignment_declare(actor=a.expert, assignment_id=a.pk, has_conflict=False)
            services.assignment_submit_scores(
                actor=a.expert,
                assignment_id=a.pk,
                scores={
                    "staff": staff,
                    "management": 15,
                    "facilities": 12,
                    "remote": 12,
                    "scale": 12,
                    "credit": 8,
                },
                comment="同意",
            )
        workflow.MACHINE.run(app, "complete_expert_review", actor=reviewer)
        if state == "site_visit":
            return app
        services.site_visit_record(
            actor=reviewer,
            application=app,
            visit_date=timezone.localdate(),
            members="甲、乙",
            findings="属实",
            passed=True,
        )
        if state == "site_visit_passed":
            return app
        workflow.MACHINE.run(app, "complete_site_visit", actor=reviewer)
        if state == "panel_review":
            return app
        self.resolve(app, reviewer)
        if state == "decision":
            return app
        workflow.MACHINE.run(app, "approve", actor=approver, comment="符合条件")
        app.refresh_from_db()
        return app


@pytest.fixture
def world(db):
    return World()
