"""Labels of the audit events `hours` writes, and the words of their machine comments."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.comments import say_choice, say_pair, say_year
from audit.labels import comment_pairs
from kit.text import join_clauses

from .models import ApiKey

LABELS = {
    "api_key.issued": _("签发接口密钥"),
    "api_key.revoked": _("吊销接口密钥"),
    "hours.excel_uploaded": _("上传学时表格"),
    "hours.person_lookup": _("查询个人学时"),
    "hours.id_number_read": _("查看完整身份证号"),
    "hours.certificate_issued": _("出具学时证明"),
    "hours.records_exported": _("导出学时记录"),
    "hours.refused_exported": _("导出未入库记录"),
    "hours.year_closed": _("关闭学时年度"),
    "hours.feed_read": _("读取学时变更流"),
}


# --- machine comments in words (audit.labels.register_comment_renderers) ------------------------------------
# A key's prefix is its public name (the key list shows it too); the secret is never in the trail.


def key_issued(event):
    """ "ingest 1a2b3c4d" → 用途：学时报送（基地培训平台）；前缀：1a2b3c4d."""
    scope, sep, prefix = event.comment.partition(" ")
    if not sep or scope not in ApiKey.Scope.values:
        return None
    return join_clauses(
        [
            say_pair(ApiKey._meta.get_field("scope").verbose_name, say_choice(ApiKey.Scope, scope)),
            _prefix(prefix),
        ]
    )


def _prefix(prefix: str) -> str:
    return say_pair(gettext("前缀"), prefix)


def key_revoked(event):
    """ "1a2b3c4d" or, when its base was revoked (R-28), "1a2b3c4d base revoked"."""
    prefix, _sep, rest = event.comment.partition(" ")
    if rest not in ("", "base revoked"):
        return None
    parts = [_prefix(prefix)]
    if rest:
        parts.append(say_pair(ApiKey._meta.get_field("base").verbose_name, gettext("已撤销")))
    return join_clauses(parts)


def of_year(event):
    """ "2026" or "year=2026" → 2026 年度."""
    return say_year(comment_pairs(event.comment).get("year", event.comment))


def person_lookup(event):
    pairs = comment_pairs(event.comment)
    if "year" not in pairs or pairs.get("found") not in ("True", "False"):
        return None
    found = gettext("查到学时记录") if pairs["found"] == "True" else gettext("未查到学时记录")
    return join_clauses([say_year(pairs["year"]), found])


def feed_read(event):
    pairs = comment_pairs(event.comment)
    if not {"after", "n"} <= set(pairs):
        return None
    return gettext("读取 %(n)s 条变更（序号 %(after)s 之后）") % pairs


def refused_exported(event):
    rows = comment_pairs(event.comment).get("rows")
    return gettext("%(n)s 行") % {"n": rows} if rows else None


COMMENTS = {
    "api_key.issued": key_issued,
    "api_key.revoked": key_revoked,
    "hours.person_lookup": person_lookup,
    "hours.id_number_read": of_year,
    "hours.certificate_issued": of_year,
    "hours.year_closed": of_year,
    "hours.records_exported": of_year,
    "hours.feed_read": feed_read,
    "hours.refused_exported": refused_exported,
}
