"""A world where every 我的待办 source has something waiting, built through the real services and workflows.

Shared by tests/portal/test_todos.py and the browser walk in tests/e2e/test_todo_journey.py.
"""

import datetime

from django.utils import timezone

from accounts.models import Role
from applications import workflow as application_workflow
from bases import services as base_services
from inspections import services as inspection_services
from inspections.models import ITEM_KEYS
from plans import services as plan_services
from plans import workflow as plan_workflow
from tests.applications.conftest import World
from tests.bases.conftest import Registry
from tests.factories import InstitutionFactory, member

TODAY = timezone.localdate()
PLAN_ITEM = {
    "service_form": "commissioned_class",
    "title": "研修班",
    "field": "数字经济",
    "subject_kind": "professional",
    "mode": "in_person",
    "planned_classes": 2,
    "planned_trainees": 300,
    "hours_per_trainee": "24",
    "fee_per_trainee": "500",
}


class TodoWorld(World):
    """The recognition world of tests/applications plus bases, plans, supervision and a new institution."""

    base = Registry.base  # a registry base of self.inst approved by Chengdu (or as told)

    def __init__(self):
        super().__init__()
        self.cd_reviewer2 = member(self.chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer2")
        self.newcomer = InstitutionFactory(region_id="510104", name="新来学院")
        self.newcomer_admin = member(self.newcomer, Role.INSTITUTION_ADMIN, username="new_admin")

    # --- recognition --------------------------------------------------------------------------------------

    def submitted_application(self):
        return self.submitted()

    def expert_review_application(self):
        """An application in expert review, each of the four experts assigned and none scored yet."""
        app = self.submitted(self.sc_batch)
        application_workflow.MACHINE.run(app, "start_review", actor=self.sc_reviewer)
        application_workflow.MACHINE.run(app, "pass_formal_review", actor=self.sc_reviewer)
        from applications import services as application_services

        application_services.expert_assign(
            actor=self.sc_reviewer, application=app, experts=self.experts[:3], reason="该领域专家不足"
        )
        return app

    # --- bases ----------------------------------------------------------------------------------------------

    def change_request(self, base):
        facts = base_services.base_facts(base)
        facts["contact_phone"] = "028-99999999"
        return base_services.change_request_create(
            actor=self.operator, base=base, proposed=facts, reasons="联系电话变更"
        )

    def report(self, base):
        return base_services.misconduct_report_create(
            base=base,
            category="fees_without_training",
            description="只收费不培训，学员反映未开课即结业。",
            reporter_name="举报人",
            reporter_phone=f"138{base.pk:08d}",  # one reporter per base: reports are rate-limited per phone
        )

    # --- plans ----------------------------------------------------------------------------------------------

    def plan_in_host_review(self, base):
        plan = plan_services.plan_create(actor=self.operator, base=base, year=TODAY.year + 1)
        plan_services.plan_item_save(actor=self.operator, plan=plan, data=PLAN_ITEM)
        plan_services.plan_update(actor=self.operator, plan=plan, summary_narrative="上年度总结")
        plan_workflow.MACHINE.run(plan, "submit_to_host", actor=self.operator)
        return plan

    def plan_submitted(self, base):
        plan = self.plan_in_host_review(base)
        plan_workflow.MACHINE.run(plan, "host_approve", actor=self.host)
        return plan

    # --- supervision ----------------------------------------------------------------------------------------

    def spot_check(self, base, title="专项抽查"):
        return inspection_services.round_create(
            actor=self.cd_reviewer,
            authority=self.chengdu,
            kind="spot_check",
            year=TODAY.year,
            title=title,
            base_ids=[base.pk],
        )

    def score(self, inspection, value=90):
        return inspection_services.inspection_score(
            actor=self.cd_reviewer,
            inspection_id=inspection.pk,
            inspected_on=TODAY,
            inspectors=[self.cd_reviewer, self.cd_reviewer2],
            scores=dict.fromkeys(ITEM_KEYS, value),
            notes={},
            conclusion="检查意见",
        )

    def rectification(self, base):
        """A spot check found the base unqualified; its confirmation ordered a rectification (R-27)."""
        inspection = self.spot_check(base, title="整改抽查").inspections.get()
        self.score(inspection, 40)
        inspection_services.inspection_confirm(
            actor=self.cd_approver,
            inspection_id=inspection.pk,
            rectification_items="公开收费标准",
            deadline=TODAY + datetime.timedelta(days=30),
        )
        return base.rectifications.get()

    def everything(self):
        """One item in every source; return the objects by name."""
        objects = {
            "application": self.submitted_application(),
            "expert_app": self.expert_review_application(),
        }
        changed, reported, planned, filed, inspected, confirmed, rectified = (
            self.base(name=name)
            for name in [
                "变更基地",
                "被举报基地",
                "审核计划基地",
                "备案计划基地",
                "抽查基地",
                "确认基地",
                "整改基地",
            ]
        )
        objects["change_request"] = self.change_request(changed)
        objects["report"] = self.report(reported)
        objects["host_plan"] = self.plan_in_host_review(planned)
        objects["submitted_plan"] = self.plan_submitted(filed)
        objects["planned_inspection"] = self.spot_check(inspected).inspections.get()
        scored = self.spot_check(confirmed, title="复查").inspections.get()
        self.score(scored)
        objects["scored_inspection"] = scored
        objects["rectification"] = self.rectification(rectified)
        return objects
