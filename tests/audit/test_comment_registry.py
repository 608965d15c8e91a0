"""Every machine comment has words (issue "A portal people can find their way in", "Words, not codes"; DESIGN.md
"Personal data and security": the audit trail is read by people).

A service that writes a comment in a machine form registers a renderer for its action code (audit.labels); this
test scans the production code for every `audit_record(..., comment=...)` and every machine transition with a
note, and requires a renderer for each, unless the comment is text a person typed or a name (FREE_TEXT). Then it
renders a stored example of each registered code in both languages: no `key=value`, no field or status codes, no
`#id` is left for a reader."""

import ast
import re

import pytest
from django.utils import translation

from audit.labels import comment_renderers
from audit.models import AuditEvent
from tests.audit.test_labels import PRODUCTION, machines

# Comments shown as stored, and why: they are words already.
FREE_TEXT = {
    "institution.registration_refused": "the authority's reason, as typed",
    "expert.conflict_declared": "the expert's declaration, word for word",
    "expert.no_conflict_declared": "the expert's declaration, word for word",
    "application.objection_resolved": "the authority's outcome, as typed",
    "report.triaged": "the authority's outcome, as typed",
    "plan.item_saved": "the item's title",
    "plan.deleted": "the deleted plan's name",
    "inspection.self_assessment": "the base's name",
    "hours.excel_uploaded": "the uploaded file's name",
}

# One stored comment (or more) of every registered code, in the form its service writes (older forms too).
SAMPLES = {
    "auth.token_issued": ["expiry=2026-05-01T02:00:00+00:00"],
    "auth.token_revoked": ["reason=sign_out"],
    "auth.tokens_revoked": ["reason=password_changed count=2"],
    "security.lockout_released": ["username=zhangsan ip=10.0.0.1"],
    "security.otp_reset": ["StaticDevice, TOTPDevice"],
    "account.created": ["roles=authority_reviewer,authority_approver"],
    "region.flags_changed": ["is_remote_area: 0→1, is_less_developed_area: 1→0"],
    "admin.added": ['[{"added": {}}]'],
    "admin.changed": ['[{"changed": {"fields": ["名称"]}}]', "[{'changed': {'fields': ['名称']}}]"],
    "audit.exported": ["action=account.created&date_from=2026-01-01&object_type=plans.annualplan", ""],
    "application.edited": ["institution: legal_representative, contact_phone, recommending_authority"],
    "application.attachment_uploaded": ["rule_teaching: 教学制度.pdf"],
    "application.attachment_removed": ["credit_evidence: 信用报告.pdf", "12"],
    "application.staff_added": ["3"],
    "application.dossier_exported": ["files=12"],
    "application.experts_drawn": [
        "seed=20260601 count=3 candidates=4,5,6,7 drawn=5,7,4",
        "seed=9 count=1 candidates=4,6 drawn=6 replaces=5",
    ],
    "application.expert_chosen": ["zhangsan: 该领域专家不足"],
    "application.record_panel_resolution": ["同意认定 2026-12-01 passed 5/0/0", "2026-12-01 failed 1/4/0"],
    "batch.panel_meeting_recorded": ["held_on=2026-12-01 count=3"],
    "expert.profile_updated": ["available, fields, title"],
    "application.staff_removed": ["1"],
    "application.expert_assigned": ["zhangsan"],
    "expert.scores_submitted": ["86"],
    "application.site_visit_recorded": ["passed 2026-05-01", "failed 2026-05-02"],
    "application.objection_lodged": ["objection #5"],
    "base.changed": ["name, contact_phone, fees", "change request #3"],
    "base.filed": ["四川省人力资源和社会保障厅", "报四川省人力资源和社会保障厅备案"],
    "notice.published": ["recognition"],
    "report.lodged": ["fees_without_training"],
    "bases.imported": ["rows=5 created=2 updated=1 unchanged=2"],
    "plan.edited": ["summary_narrative", "amendment_reason", ""],
    "plan.item_removed": ["研修班", "12"],
    "class.progress": ["enrolled=30 completed=28"],
    "class.evaluated": ["92.5"],
    "plan.yearly_evaluation": ["2026"],
    "plan.host_approve": ["同意 [late]", "[late]", "同意"],
    "api_key.issued": ["ingest 1a2b3c4d", "feed 5e6f7a8b"],
    "api_key.revoked": ["1a2b3c4d", "1a2b3c4d base revoked"],
    "hours.person_lookup": ["year=2025 found=False", "year=2025 found=True"],
    "hours.id_number_read": ["year=2025"],
    "hours.certificate_issued": ["year=2025"],
    "hours.year_closed": ["2025"],
    "hours.records_exported": ["2025"],
    "hours.feed_read": ["after=100 n=20"],
    "hours.refused_exported": ["rows=12"],
    "inspection.round_opened": ["spot_check bases=3 seed=8f2c", "periodic bases=12 seed="],
    "assessment.proposed": ["year=2026 n=3"],
    "assessment.published": ["year=2026 n=3"],
    "rectification.ordered": ["deadline=2026-09-30"],
    "inspection.scored": ["90.0 qualified", "现场检查 62.5 basic"],
    "inspection.confirmed": ["unqualified", "复核无误 qualified"],
    "assessment.confirmed": ["good → excellent 获省级表彰", "qualified → qualified"],
}
# Words in the samples that are data a reader should see (a username, a file's extension).
DATA_WORDS = {"zhangsan", "pdf"}


def commented_codes() -> set[str]:
    """Return the action codes whose `audit_record` call passes a comment (literal codes only)."""
    codes = set()
    for path in PRODUCTION:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords}
            if "action" not in kw or "comment" not in kw:
                continue
            action = kw["action"]
            branches = [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
            codes |= {b.value for b in branches if isinstance(b, ast.Constant) and "." in str(b.value)}
    return codes


def noted_codes() -> set[str]:
    """Return the codes of the machine transitions that append a note to the comment."""
    return {m.code(t.action) for m in machines() for t in m.transitions if t.note is not None}


def test_the_scan_finds_the_machine_comments_it_should():
    codes = commented_codes()
    assert {"application.edited", "account.created", "hours.feed_read", "base.changed"} <= codes
    assert {"plan.host_approve", "inspection.scored", "assessment.confirmed"} <= noted_codes()


def test_every_machine_comment_has_a_renderer():
    renderers = comment_renderers()
    missing = sorted((commented_codes() | noted_codes()) - set(renderers) - set(FREE_TEXT))
    assert missing == []
    assert not set(FREE_TEXT) & set(renderers)


def test_every_renderer_has_an_example_here():
    assert set(SAMPLES) == set(comment_renderers())


CODE_WORD = re.compile(r"[a-z][a-z_]*[a-z]")
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_renderer_says_its_comments_without_codes(code, language):
    render = comment_renderers()[code]
    for comment in SAMPLES[code]:
        with translation.override(language):
            words = render(AuditEvent(action=code, comment=comment))
        assert words is not None, (code, comment)  # the sample is in the form the renderer reads
        assert isinstance(words, str), (code, comment)
        assert "=" not in words and not re.search(r"#\d", words), (code, comment, words)
        assert not SNAKE_CASE.search(words), (code, comment, words)
        if language == "zh-hans":
            leftover = {w for w in set(CODE_WORD.findall(comment)) - DATA_WORDS if w in words}
            assert leftover == set(), (code, comment, words)
