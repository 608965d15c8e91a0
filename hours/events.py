"""Labels of the audit events `hours` writes."""

from django.utils.translation import gettext_lazy as _

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
