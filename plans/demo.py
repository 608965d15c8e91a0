"""Demo plans and classes (DEBUG only), driven through the real workflow.

Next year's plans in every state (and bases that have not started one), this year's plans filed on time and
one filed late, and classes under the filed plans. Imported bases' institutions get demo accounts with
unusable passwords, so that their records have an author; they cannot sign in.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import Membership, Role, User
from bases.models import Base

from . import services, workflow
from .deadlines import SHANGHAI
from .models import AnnualPlan, ServiceForm, TrainingClass

ITEMS = [
    {
        "service_form": ServiceForm.COMMISSIONED_CLASS,
        "title": "数字化转型高级研修班",
        "field": "数字经济",
        "subject_kind": "professional",
        "mode": "blended",
        "planned_classes": 6,
        "planned_trainees": 900,
        "hours_per_trainee": "24",
        "fee_per_trainee": "680",
    },
    {
        "service_form": ServiceForm.PROFESSIONAL_SUBJECT,
        "title": "专业科目网络培训",
        "field": "智能制造",
        "subject_kind": "professional",
        "mode": "online",
        "planned_classes": 12,
        "planned_trainees": 1500,
        "hours_per_trainee": "30",
        "fee_per_trainee": "200",
    },
    {
        "service_form": ServiceForm.MAJOR_PROGRAMME,
        "title": "公需科目公益讲堂（民族地区）",
        "field": "公需科目",
        "subject_kind": "general",
        "mode": "online",
        "planned_classes": 4,
        "planned_trainees": 600,
        "hours_per_trainee": "12",
        "fee_per_trainee": "0",
        "public_interest": True,
    },
]


def _staff(base):
    """The demo accounts that act for a base's institution: its real demo users if any, else stand-in accounts."""
    ops = User.objects.filter(
        memberships__organization=base.institution, memberships__role=Role.BASE_OPERATOR
    )
    hosts = User.objects.filter(
        memberships__organization=base.institution, memberships__role=Role.HOST_REVIEWER
    )
    operator = ops.first()
    host = hosts.first()
    key = base.institution.credit_code
    if operator is None:
        operator, _c = User.objects.get_or_create(
            username=f"demo-op-{key}", defaults={"full_name": "演示经办人"}
        )
        operator.set_unusable_password()
        operator.save()
        Membership.objects.get_or_create(
            user=operator, organization=base.institution, role=Role.BASE_OPERATOR
        )
    if host is None:
        host, _c = User.objects.get_or_create(
            username=f"demo-host-{key}", defaults={"full_name": "演示建设单位审核人"}
        )
        host.set_unusable_password()
        host.save()
        Membership.objects.get_or_create(user=host, organization=base.institution, role=Role.HOST_REVIEWER)
    return operator, host


def _authority_user(base):
    user = User.objects.filter(
        memberships__organization=base.approving_authority, memberships__role=Role.AUTHORITY_REVIEWER
    ).first()
    if user is None:
        user, _c = User.objects.get_or_create(
            username=f"demo-reviewer-{base.approving_authority_id}", defaults={"full_name": "演示审核员"}
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.get_or_create(
            user=user, organization=base.approving_authority, role=Role.AUTHORITY_REVIEWER
        )
    return user


def _plan(base, year, state, *, today, submitted_at=None):
    operator, host = _staff(base)
    plan = services.plan_create(actor=operator, base=base, year=year, today=today)
    for item in ITEMS:
        regions = ["513400"] if item.get("public_interest") else []
        services.plan_item_save(actor=operator, plan=plan, data=item, regions=regions)
    services.plan_update(
        actor=operator, plan=plan, summary_narrative="上年度按计划完成培训任务，详见执行情况表。"
    )
    if state == "draft":
        return plan
    workflow.MACHINE.run(plan, "submit_to_host", actor=operator)
    if state == "host_review":
        return plan
    workflow.MACHINE.run(plan, "host_approve", actor=host, now=submitted_at)
    if state == "submitted":
        return plan
    reviewer = _authority_user(base)
    if state == "returned":
        workflow.MACHINE.run(plan, "return", actor=reviewer, comment="请补充公益性培训的具体安排。")
        return plan
    workflow.MACHINE.run(plan, "file", actor=reviewer)
    return plan


def seed(*, stdout=None, context=None):
    if AnnualPlan.objects.exists():
        if stdout:
            stdout.write("plans: demo plans already exist, left as they are")
        return {}
    today = timezone.localdate()
    this_year, next_year = today.year, today.year + 1

    def base(cert_prefix):
        return Base.objects.filter(certificate_no__startswith=cert_prefix).first()

    recognised = Base.objects.filter(application__isnull=False).first()
    states_next = [
        # inst1's base waits for inst1_host (建设单位审核); the national base's operator has a draft.
        (recognised, "host_review"),
        (base("人社国基"), "draft"),
        (base("川继基省〔2022〕"), "submitted"),
        (base("川继基省〔2023〕"), "filed"),
        (base("川继基市〔2021〕"), "returned"),
        (base("川继基市〔2020〕011"), "filed"),
    ]
    created = 0
    for b, state in states_next:
        if b is not None:
            _plan(b, next_year, state, today=today)
            created += 1
    # This year's plans: one filed on time (with classes), one submitted in January and therefore late. The
    # classes are inst1's base's, so inst1_operator can report hours for them (hours.demo).
    on_time = _plan(
        recognised,
        this_year,
        "filed",
        today=date(this_year, 1, 1) - timedelta(days=20),
        submitted_at=datetime(this_year - 1, 12, 28, 10, 0, tzinfo=SHANGHAI),
    )
    _plan(
        base("川继基省〔2022〕"),
        this_year,
        "filed",
        today=date(this_year, 1, 10),
        submitted_at=datetime(this_year, 1, 10, 9, 30, tzinfo=SHANGHAI),
    )
    operator, _host = _staff(on_time.base)
    items = list(on_time.items.all())
    # item, title, dates, capacity, completed, status, general hours (R-35: a professional class with a part of
    # general-subject hours, stated)
    specs = [
        (
            items[0],
            "数字化转型高级研修班（第一期）",
            date(this_year, 3, 10),
            date(this_year, 3, 14),
            150,
            148,
            TrainingClass.Status.COMPLETED,
            "6",
        ),
        (
            items[1],
            "智能制造专业科目网络培训（春季）",
            date(this_year, 4, 1),
            date(this_year, 5, 31),
            400,
            376,
            TrainingClass.Status.COMPLETED,
            None,
        ),
        (
            items[2],
            "凉山州公需科目公益讲堂",
            date(this_year, 9, 1),
            date(this_year, 9, 3),
            200,
            0,
            TrainingClass.Status.RUNNING,
            None,
        ),
        (
            items[0],
            "数字化转型高级研修班（第二期）",
            date(this_year, 12, 8),
            date(this_year, 12, 12),
            150,
            0,
            TrainingClass.Status.OPEN,
            None,
        ),
    ]
    for item, title, starts, ends, capacity, completed, status, general_hours in specs:
        klass = services.class_create(
            actor=operator,
            plan_item=item,
            data={
                "title": title,
                "starts_on": starts,
                "ends_on": ends,
                "place": "成都市武侯区演示路 8 号",
                "online_platform": "",
                "capacity": capacity,
                "fee": item.fee_per_trainee,
                "hours_per_trainee": item.hours_per_trainee,
                "subject_kind": item.subject_kind,
                "general_hours": general_hours,
                "teachers": "张老师、李老师",
            },
        )
        if status != TrainingClass.Status.OPEN:
            services.class_update_progress(
                actor=operator,
                klass=klass,
                status=TrainingClass.Status.RUNNING,
                enrolled=capacity if status != "running" else 180,
                completed=0,
            )
        if status == TrainingClass.Status.COMPLETED:
            services.class_update_progress(
                actor=operator, klass=klass, status=status, enrolled=capacity, completed=completed
            )
            services.class_evaluate(
                actor=operator,
                klass=klass,
                satisfaction="92.5",
                self_assessment="课程安排合理，学员反馈良好。",
            )
    if stdout:
        stdout.write(
            f"plans: {created} plans for {next_year} (draft, host review, submitted, filed, returned; other bases not started), 2 for {this_year} (one late), 4 classes"
        )
    return {}
