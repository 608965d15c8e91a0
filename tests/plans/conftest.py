import datetime

import pytest

from accounts.models import Role
from bases.models import Base
from bases.services import base_refresh_index
from plans import services, workflow
from tests.bases.conftest import Registry
from tests.factories import member

ITEM = {
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


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class PlanWorld(Registry):
    def __init__(self):
        super().__init__()
        self.host = member(self.inst, Role.HOST_REVIEWER, username="host")
        self.my_reviewer = member(self.mianyang, Role.AUTHORITY_REVIEWER, username="my_reviewer")
        # Recognised mid-2026: it owes the 2027 plan (due 2026-12-31) but no 2026 plan.
        self.b = self.base(name="计划基地", recognised="2026-06-01")

    def plan(self, year=2027, items=1, today=datetime.date(2026, 11, 25), base=None):
        plan = services.plan_create(actor=self.operator, base=base or self.b, year=year, today=today)
        for _ in range(items):
            services.plan_item_save(actor=self.operator, plan=plan, data=ITEM)
        services.plan_update(actor=self.operator, plan=plan, summary_narrative="上年度总结")
        return plan

    def to_state(self, state, *, year=2027, now=None, **kw):
        plan = self.plan(year=year, **kw)
        if state == "draft":
            return plan
        workflow.MACHINE.run(plan, "submit_to_host", actor=self.operator)
        if state == "host_review":
            return plan
        workflow.MACHINE.run(plan, "host_approve", actor=self.host, now=now)
        if state == "submitted":
            return plan
        workflow.MACHINE.run(plan, "file", actor=self.cd_reviewer)
        plan.refresh_from_db()
        return plan


@pytest.fixture
def pw(db):
    return PlanWorld()


__all__ = ["Base", "base_refresh_index"]
