"""Demo supervision data (DEBUG only): a finished provincial round with published results, an open
rectification of a Chengdu base after a spot check, and a published year of assessments."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organization, User
from bases.models import Base

from . import services
from .models import ITEM_KEYS, InspectionRound


def seed(*, stdout=None, context=None):
    if InspectionRound.objects.exists():
        if stdout:
            stdout.write("inspections: demo data already exists, left as it is")
        return {}
    today = timezone.localdate()
    province = Organization.objects.get(kind="provincial_hr")
    chengdu = Organization.objects.get(name="成都市人力资源和社会保障局")
    sc_reviewer, sc_approver, admin_sc = (
        User.objects.get(username=u) for u in ("sc_reviewer", "sc_approver", "admin_sc")
    )
    cd_reviewer, cd_approver, cd_admin = (
        User.objects.get(username=u) for u in ("cd_reviewer", "cd_approver", "cd_admin")
    )

    # A periodic round of the provincial bases, scored, confirmed and published.
    periodic = services.round_create(
        actor=sc_reviewer,
        authority=province,
        kind="periodic",
        year=today.year,
        title=f"{today.year} 年度省级继续教育基地定期检查",
    )
    provincial_ids = set(
        Base.objects.filter(level__in=["provincial", "national"]).values_list("pk", flat=True)
    )
    for i, insp in enumerate(periodic.inspections.select_related("base")):
        value = 92 if insp.base_id in provincial_ids else 85 - 3 * (i % 5)
        services.inspection_score(
            actor=sc_reviewer,
            inspection_id=insp.pk,
            inspected_on=today - timedelta(days=20),
            inspectors=[sc_reviewer, admin_sc],
            scores=dict.fromkeys(ITEM_KEYS, value),
            notes={"fees": "收费标准已在平台公布"},
            conclusion="各项工作规范，继续保持。",
        )
        services.inspection_confirm(actor=sc_approver, inspection_id=insp.pk)
    services.round_publish(actor=sc_reviewer, round_id=periodic.pk)

    # A spot check of inst1's Chengdu base that found it unqualified: an open rectification to reply to.
    target = Base.objects.filter(application__isnull=False, approving_authority=chengdu).first()
    if target is not None:
        spot = services.round_create(
            actor=cd_reviewer,
            authority=chengdu,
            kind="spot_check",
            year=today.year,
            title=f"{target.name} 专项抽查",
            base_ids=[target.pk],
        )
        insp = spot.inspections.get()
        scores = dict.fromkeys(ITEM_KEYS, 60)  # average 52.8: below the basic line of 60
        scores.update({"rules": 40, "fees": 30, "courseware": 45})
        services.inspection_score(
            actor=cd_reviewer,
            inspection_id=insp.pk,
            inspected_on=today - timedelta(days=2),
            inspectors=[cd_reviewer, cd_admin],
            scores=scores,
            notes={"fees": "收费标准未在平台公示", "rules": "培训登记制度未执行"},
            conclusion="制度执行和收费公示不到位。",
        )
        services.inspection_confirm(
            actor=cd_approver,
            inspection_id=insp.pk,
            rectification_items="一、在网络平台公示收费标准；二、补齐 2026 年培训登记档案；三、更新过期课件。",
            deadline=today + timedelta(days=25),
        )

    # A year of assessments of every base, confirmed and published (one raised to excellent with a reason).
    created = services.assessments_propose(actor=sc_reviewer, authority=province, year=today.year)
    for a in created:
        rating, reason = a.proposed_rating, ""
        if a.base.level == "national":
            rating, reason = "excellent", "承办国家级专项培训，成效突出。"
        if rating == "unqualified":
            rating, reason = "qualified", "新认定基地，运行时间不足一年，暂按合格评定。"
        services.assessment_confirm(
            actor=sc_approver,
            assessment_id=a.pk,
            rating=rating,
            reason=reason if rating != a.proposed_rating else "",
        )
    services.assessments_publish(actor=sc_reviewer, authority=province, year=today.year)
    if stdout:
        stdout.write(
            f"inspections: a published periodic round ({periodic.inspections.count()} bases), an open rectification, {len(created)} published assessments"
        )
    return {}
