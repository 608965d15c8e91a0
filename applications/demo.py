"""Demo batches and applications in every state, built through the real services and workflow (DEBUG only)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User

from . import services, workflow
from .models import RULE_KINDS, Application, AttachmentKind, Batch, ExpertProfile

# The demo experts' profiles: the draw picks among experts of the application's fields, one per employer.
EXPERT_PROFILES = {
    "expert1": ("教授", "四川演示大学", ["数字经济", "现代服务业", "工程技术", "先进制造"]),
    "expert2": ("研究员", "四川演示科学院", ["数字经济", "产业研究", "工程技术", "卫生健康"]),
    "expert3": ("高级工程师", "成都演示设计院", ["智能制造", "工程技术", "先进制造", "新材料"]),
    "expert4": ("主任医师", "四川演示医院", ["卫生健康", "产业研究", "工程技术", "现代服务业"]),
}


def tiny_pdf(title: str) -> bytes:
    """A small valid PDF with one line of text, so demo documents open in a viewer."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def staff_rows(prefix: str):
    rows = []
    for i in range(9):
        rows.append(
            {
                "name": f"{prefix}专职教师{i + 1}",
                "title": "教授" if i < 3 else "副教授",
                "field": "数字经济",
                "category": "teacher",
                "employment": "full_time",
            }
        )
    for i in range(16):
        rows.append(
            {
                "name": f"{prefix}兼职教师{i + 1}",
                "title": "高级工程师",
                "field": "智能制造",
                "category": "teacher",
                "employment": "part_time",
            }
        )
    for i in range(2):
        rows.append(
            {
                "name": f"{prefix}政策研究员{i + 1}",
                "title": "研究员",
                "field": "人才政策",
                "category": "policy_research",
                "employment": "full_time",
            }
        )
    for i in range(2):
        rows.append(
            {
                "name": f"{prefix}平台工程师{i + 1}",
                "title": "工程师",
                "field": "在线教育平台",
                "category": "online_technical",
                "employment": "full_time",
            }
        )
    return rows


def fill_complete(app: Application, actor, *, base_name: str, fields: list, trainees: int, recommender=None):
    """Fill every step of the 申报表 so that Article 8 is met."""
    services.application_update(
        actor=actor,
        application=app,
        section="institution",
        data={
            "registered_in_sichuan": True,
            "training_qualification": "经主管部门批准开展专业技术人员继续教育培训",
            "legal_representative": "演示法人",
            "address": app.address or "四川省成都市演示路 1 号",
            "base_name": base_name,
            "fields": fields,
            "contact_name": "演示联系人",
            "contact_phone": "028-80000000",
            "contact_email": "contact@demo.ce-base.sc.example",
            **({"recommending_authority": recommender} if recommender else {}),
        },
    )
    services.staff_add(actor=actor, application=app, people=staff_rows(base_name[:2]))
    services.application_update(
        actor=actor,
        application=app,
        section="management",
        data={"management_organ": "继续教育学院", "full_time_managers": 6},
    )
    services.application_update(
        actor=actor,
        application=app,
        section="resources",
        data={
            "funding_guarantee": "学校每年安排专项经费 300 万元",
            "classrooms": "固定教室 12 间，可容纳 800 人",
            "teaching_equipment": "多媒体教学设备齐全",
            "library_resources": "专业图书 5 万册，电子期刊数据库 20 个",
            "practical_site": "与 3 家龙头企业共建实训基地",
            "network_infrastructure": "千兆校园网，录播教室 4 间",
            "platform_name": f"{base_name}网络学院",
            "platform_url": "https://learn.demo.ce-base.sc.example/",
            "platform_features": "在线课程、直播互动、讨论区、学时记录",
        },
    )
    services.application_update(
        actor=actor,
        application=app,
        section="scale",
        data={
            "trainees_year1": trainees - 300,
            "trainees_year2": trainees - 100,
            "trainees_year3": trainees,
            "key_fields_served": "数字经济、先进制造业、现代服务业",
        },
    )
    services.application_update(
        actor=actor,
        application=app,
        section="credit",
        data={"credit_declared": True, "credit_statement": "经“信用中国”查询，无不良记录。"},
    )
    for kind in [*RULE_KINDS, AttachmentKind.QUALIFICATION, AttachmentKind.CREDIT_EVIDENCE]:
        upload = SimpleUploadedFile(f"{kind.value}.pdf", tiny_pdf(kind.value), content_type="application/pdf")
        services.attachment_upload(actor=actor, application=app, kind=kind, upload=upload)


def _user(name):
    return User.objects.get(username=name)


def _through_expert_review(app, reviewer, experts, scored=3):
    workflow.MACHINE.run(app, "start_review", actor=reviewer)
    workflow.MACHINE.run(app, "pass_formal_review", actor=reviewer, comment="材料齐全，符合要求。")
    assignments = services.expert_assign(
        actor=reviewer, application=app, experts=experts, reason="该领域专家不足"
    )
    for assignment in assignments[:scored]:
        services.assignment_declare(actor=assignment.expert, assignment_id=assignment.pk, has_conflict=False)
        services.assignment_submit_scores(
            actor=assignment.expert,
            assignment_id=assignment.pk,
            scores={"staff": 22, "management": 17, "facilities": 13, "remote": 12, "scale": 13, "credit": 9},
            comment="师资结构合理，平台功能完整，建议认定。",
        )
    return assignments


def _through_decision(app, reviewer, approver, experts):
    _through_expert_review(app, reviewer, experts)
    workflow.MACHINE.run(app, "complete_expert_review", actor=reviewer)
    services.site_visit_record(
        actor=reviewer,
        application=app,
        visit_date=timezone.localdate(),
        members="审核员、专家甲、专家乙",
        findings="场地、设备、管理制度与申报一致。",
        passed=True,
    )
    workflow.MACHINE.run(app, "complete_site_visit", actor=reviewer)
    services.panel_resolutions_record(
        actor=reviewer,
        batch=app.batch,
        held_on=timezone.localdate(),
        members="评审组七人",
        resolutions={app.pk: {"passed": True, "votes_for": 7, "remarks": "同意认定。"}},
    )
    workflow.MACHINE.run(app, "approve", actor=approver, comment="经审核、论证、考察和评审，符合认定条件。")


def _expert_profiles(experts):
    for expert in experts:
        title, employer, fields = EXPERT_PROFILES[expert.username]
        ExpertProfile.objects.get_or_create(
            user=expert,
            defaults={"title": title, "employer_name": employer, "fields": fields, "region_id": "510100"},
        )


def _to_panel(app, reviewer, experts=None, seed=None, scores=None):
    """Take a submitted application through 审核, 论证 (drawn experts, or chosen ones with a reason) and 考察 to the
    panel (评审)."""
    workflow.MACHINE.run(app, "start_review", actor=reviewer)
    workflow.MACHINE.run(app, "pass_formal_review", actor=reviewer, comment="材料齐全，符合要求。")
    if experts is None:
        services.expert_draw(actor=reviewer, application=app, seed=seed)
    else:
        services.expert_assign(
            actor=reviewer,
            application=app,
            experts=experts,
            reason="本领域候选专家两年内均评审过本机构，经处务会研究指定。",
        )
    for assignment, staff in zip(app.assignments.all(), scores, strict=True):
        services.assignment_declare(actor=assignment.expert, assignment_id=assignment.pk, has_conflict=False)
        services.assignment_submit_scores(
            actor=assignment.expert,
            assignment_id=assignment.pk,
            scores={
                "staff": staff,
                "management": 16,
                "facilities": 13,
                "remote": 12,
                "scale": 13,
                "credit": 9,
            },
            comment="条件具备，建议提交评审会评审。",
        )
    workflow.MACHINE.run(app, "complete_expert_review", actor=reviewer)
    services.site_visit_record(
        actor=reviewer,
        application=app,
        visit_date=timezone.localdate(),
        members="审核员、专家甲、专家丙",
        findings="场地、师资与申报一致。",
        passed=True,
    )
    workflow.MACHINE.run(app, "complete_site_visit", actor=reviewer)


def seed(*, stdout=None, context=None):
    if Batch.objects.exists():
        if stdout:
            stdout.write("applications: demo batches already exist, left as they are")
        return {}
    orgs = context or {}
    now = timezone.now()
    province, chengdu, health = orgs["provincial"], orgs["510100"], orgs["health"]
    admin_sc, cd_admin = _user("admin_sc"), _user("cd_admin")
    experts = [_user(f"expert{i}") for i in range(1, 5)]
    sc_reviewer, _sc_approver = _user("sc_reviewer"), _user("sc_approver")
    cd_reviewer, cd_approver = _user("cd_reviewer"), _user("cd_approver")
    inst1, inst2, inst3 = orgs["inst1"], orgs["inst2"], orgs["inst3"]
    op1, op2, op3 = _user("inst1_operator"), _user("inst2_operator"), _user("inst3_operator")

    window = {"opens_at": now - timedelta(days=20), "closes_at": now + timedelta(days=40)}
    provincial = services.batch_create(
        actor=admin_sc, authority=province, title="2026 年度省级专业技术人员继续教育基地申报", **window
    )
    chengdu_batch = services.batch_create(
        actor=cd_admin, authority=chengdu, title="2026 年度成都市继续教育基地申报", **window
    )
    industry = services.batch_create(
        actor=admin_sc,
        authority=health,
        title="2026 年度卫生健康行业继续教育基地申报",
        publicity_working_days=7,
        **window,
    )

    # 1. inst1 in Chengdu: recognised, published and filed with the province.
    app = services.application_create(actor=op1, batch=chengdu_batch, institution=inst1)
    fill_complete(
        app, op1, base_name="蓉城数字经济继续教育基地", fields=["数字经济", "智能制造"], trainees=1500
    )
    workflow.MACHINE.run(app, "submit", actor=op1)
    _through_decision(app, cd_reviewer, cd_approver, experts[:3])
    app.refresh_from_db()
    # Demo only: move the finished publicity period into the past, so the base can be published now.
    shift = (app.publicity_ends_on - timezone.localdate()).days + 1
    Application.objects.filter(pk=app.pk).update(
        publicity_starts_on=app.publicity_starts_on - timedelta(days=shift + 7),
        publicity_ends_on=app.publicity_ends_on - timedelta(days=shift),
    )
    workflow.MACHINE.run(Application.objects.get(pk=app.pk), "publish", actor=cd_reviewer)

    # 2. inst1 in the provincial batch: expert review, flagged as priority, one expert still to score.
    app = services.application_create(actor=op1, batch=provincial, institution=inst1)
    fill_complete(app, op1, base_name="蓉城现代服务业继续教育基地", fields=["现代服务业"], trainees=3200)
    workflow.MACHINE.run(app, "submit", actor=op1)
    _through_expert_review(app, sc_reviewer, experts[:3], scored=2)

    # 3. inst2 in Chengdu: in publicity, with one objection to resolve.
    app = services.application_create(actor=op2, batch=chengdu_batch, institution=inst2)
    fill_complete(
        app, op2, base_name="锦江先进制造继续教育基地", fields=["先进制造", "新材料"], trainees=1200
    )
    workflow.MACHINE.run(app, "submit", actor=op2)
    _through_decision(app, cd_reviewer, cd_approver, experts[1:4])
    services.objection_lodge(
        application=app,
        name="王五",
        phone="13800000000",
        content="该机构部分兼职教师为临时聘请，请核实师资稳定性。",
        ip_address="127.0.0.1",
    )

    # 4. inst2 in the provincial batch: returned for correction with comments per section.
    app = services.application_create(actor=op2, batch=provincial, institution=inst2)
    fill_complete(app, op2, base_name="锦江产业研究继续教育基地", fields=["产业研究"], trainees=2400)
    workflow.MACHINE.run(app, "submit", actor=op2)
    workflow.MACHINE.run(app, "start_review", actor=sc_reviewer)
    workflow.MACHINE.run(
        app,
        "return",
        actor=sc_reviewer,
        section_comments={
            "resources": "请补充网络培训平台近一年的运行数据。",
            "credit": "信用证明材料请加盖公章。",
        },
    )

    # 5. inst3 in the health batch: submitted, waiting for the health commission.
    app = services.application_create(actor=op3, batch=industry, institution=inst3)
    fill_complete(app, op3, base_name="涪江卫生健康继续教育基地", fields=["卫生健康"], trainees=900)
    workflow.MACHINE.run(app, "submit", actor=op3)

    # 6. inst1 in a provincial batch that asks for a recommendation (Art. 10): submitted with the Chengdu municipal
    # HR department as recommender, waiting for cd_reviewer or cd_approver to recommend it.
    recommended = services.batch_create(
        actor=admin_sc,
        authority=province,
        title="2026 年度省级继续教育基地申报（经市（州）推荐）",
        requires_recommendation=True,
        **window,
    )
    app = services.application_create(actor=op1, batch=recommended, institution=inst1)
    fill_complete(
        app,
        op1,
        base_name="蓉城文化创意继续教育基地",
        fields=["文化创意"],
        trainees=2200,
        recommender=chengdu,
    )
    workflow.MACHINE.run(app, "submit", actor=op1)

    # 7. A second provincial batch at the panel stage (评审): inst3's application with three drawn experts (seed
    # 20260601) and inst2's with experts chosen by hand, both past the site visit, ranked on the panel sheet and
    # waiting for sc_reviewer to record the panel's resolutions.
    _expert_profiles(experts)
    second = services.batch_create(
        actor=admin_sc, authority=province, title="2026 年度省级继续教育基地申报（第二批）", **window
    )
    app = services.application_create(actor=op3, batch=second, institution=inst3)
    fill_complete(
        app, op3, base_name="涪江智能制造继续教育基地", fields=["工程技术", "先进制造"], trainees=2600
    )
    workflow.MACHINE.run(app, "submit", actor=op3)
    _to_panel(app, sc_reviewer, seed=20260601, scores=(23, 22, 24))
    app = services.application_create(actor=op2, batch=second, institution=inst2)
    fill_complete(app, op2, base_name="锦江数字经济继续教育基地", fields=["数字经济"], trainees=2300)
    workflow.MACHINE.run(app, "submit", actor=op2)
    _to_panel(app, sc_reviewer, experts=experts[:3], scores=(19, 20, 18))

    # 8. inst3 in the provincial batch: a draft with the first step filled.
    app = services.application_create(actor=op3, batch=provincial, institution=inst3)
    services.application_update(
        actor=op3,
        application=app,
        section="institution",
        data={"base_name": "涪江工程技术继续教育基地", "fields": ["工程技术"]},
    )
    if stdout:
        stdout.write(
            "applications: 5 batches (one asking for a recommendation, one at the panel stage), 9 applications "
            "(draft, submitted, waiting for a recommendation, returned, expert evaluation, two at the panel, "
            "publicity, recognised)"
        )
    return {"batches": [provincial, chengdu_batch, industry, recommended, second]}
