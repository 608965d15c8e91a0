"""Import of bases that exist before the portal (R-36): every row validated first, nothing imported while
any row is bad, and a re-import creates no duplicates."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from bases.demo import _code
from bases.imports import COLUMNS, bases_import
from bases.models import Base, Notice
from kit.errors import InvalidInput, PermissionRefused

pytestmark = pytest.mark.django_db


def workbook(rows, header=COLUMNS):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("bases.xlsx", buf.getvalue())


def row(**kw):
    values = {
        "inst": "导入学院",
        "code": _code("12510000MB2000001"),
        "name": "导入基地",
        "level": "省级",
        "authority": "四川省人力资源和社会保障厅",
        "region": "510104",
        "fields": "数字经济、智能制造",
        "date": "2022-06-01",
        "cert": "川继基省〔2022〕001号",
    }
    values.update(kw)
    return list(values.values())


def test_valid_workbook_imports_bases_with_their_institutions(reg):
    result = bases_import(
        actor=reg.admin,
        upload=workbook(
            [
                row(),
                row(
                    name="国家级基地",
                    level="国家级",
                    cert="人社国基〔2018〕1号",
                    code=_code("12510000MB2000002"),
                    inst="国家学院",
                ),
            ]
        ),
    )
    assert result.ok and len(result.created) == 2
    national = Base.objects.get(level="national")
    assert national.counts_as_provincial and national.is_imported
    assert national.institution.credit_code == _code("12510000MB2000002")
    assert national.prefecture_id == "510100"
    assert Base.objects.get(level="provincial").fields == ["数字经济", "智能制造"]
    assert AuditEvent.objects.filter(action="bases.imported").count() == 1
    assert not Notice.objects.exists()  # only when the administrator asks for one


def test_a_bad_row_changes_nothing_and_is_named_with_its_reason(reg):
    bad_code = _code("12510000MB2000003")[:-1] + ("0" if _code("12510000MB2000003")[-1] != "0" else "1")
    rows = [
        row(),
        row(cert="c2", code=bad_code),
        row(cert="c3", level="省级", authority="绵阳市人力资源和社会保障局"),
        row(cert="c4", region="999999", date="2099-01-01"),
    ]
    result = bases_import(actor=reg.admin, upload=workbook(rows))
    assert not result.ok
    by_row = dict(result.errors)
    assert set(by_row) == {3, 4, 5}
    assert "统一社会信用代码无效" in by_row[3]
    assert "不能认定省级基地" in by_row[4]
    assert "所在区划" in by_row[5] and "不能晚于今天" in by_row[5]
    assert not Base.objects.exists()


def test_duplicate_certificate_in_the_same_file_is_reported(reg):
    result = bases_import(actor=reg.admin, upload=workbook([row(), row(name="另一个")]))
    assert dict(result.errors) == {3: "证书编号与第 2 行重复"}
    assert not Base.objects.exists()


def test_reimporting_the_same_workbook_creates_no_duplicates(reg):
    bases_import(actor=reg.admin, upload=workbook([row()]))
    again = bases_import(actor=reg.admin, upload=workbook([row()]))
    assert again.ok and (len(again.created), again.updated, again.unchanged) == (0, 0, 1)
    changed = bases_import(actor=reg.admin, upload=workbook([row(name="改名后的基地")]))
    assert changed.updated == 1
    assert Base.objects.count() == 1 and Base.objects.get().name == "改名后的基地"


def test_notice_only_when_asked(reg):
    bases_import(actor=reg.admin, upload=workbook([row()]), publish_notice=True)
    notice = Notice.objects.get(kind="registration")
    assert "导入基地" in notice.body
    assert list(notice.listed_bases.all()) == [Base.objects.get()]


def test_wrong_header_or_file_type_is_refused(reg):
    with pytest.raises(InvalidInput, match="表头"):
        bases_import(actor=reg.admin, upload=workbook([row()], header=["名称"]))
    with pytest.raises(InvalidInput):
        bases_import(actor=reg.admin, upload=SimpleUploadedFile("x.xlsx", b"not a workbook"))


def test_only_the_provincial_administrator_imports(reg):
    with pytest.raises(PermissionRefused):
        bases_import(actor=reg.cd_approver, upload=workbook([row()]))


def test_import_page_and_template(client, reg):
    client.force_login(reg.admin)
    template = client.get(reverse("bases:import_template"))
    ws = load_workbook(io.BytesIO(template.content)).active
    header, example = [list(r) for r in ws.iter_rows(values_only=True)][:2]
    assert header == COLUMNS
    assert example[0].startswith("【示例】")
    response = client.post(reverse("bases:import"), {"file": SimpleUploadedFile("t.xlsx", template.content)})
    assert response.status_code == 400  # the template as downloaded holds nothing to import
    assert "只有模板示例行" in response.content.decode()
    assert not Base.objects.exists()
    bad = client.post(reverse("bases:import"), {"file": workbook([row(level="太空级")])})
    assert bad.status_code == 400 and "第 2 行" in bad.content.decode()
    client.force_login(reg.cd_approver)
    assert client.get(reverse("bases:import")).status_code == 404


def test_certificate_of_another_institutions_base_is_refused(reg):
    """R-36: a certificate number identifies one base; a row may not move it to another institution."""
    bases_import(actor=reg.admin, upload=workbook([row()]))
    result = bases_import(
        actor=reg.admin,
        upload=workbook([row(cert="新证书"), row(code=_code("12510000MB2000004"), inst="他校")]),
    )
    assert dict(result.errors) == {3: "证书编号已被导入学院的基地使用"}
    assert Base.objects.count() == 1 and Base.objects.get().institution.name == "导入学院"


def test_workbook_without_data_rows_is_refused(reg):
    result = bases_import(actor=reg.admin, upload=workbook([[None] * len(COLUMNS)]))
    assert (result.rows, result.errors) == (0, [(2, "工作簿中没有数据行")])


def test_fields_split_on_any_comma_and_excel_dates_are_read(reg):
    result = bases_import(
        actor=reg.admin,
        upload=workbook(
            [row(fields="数字经济，智能制造,现代服务业", date=datetime.datetime(2021, 3, 4, 9, 30))]
        ),
    )
    assert result.ok
    base = Base.objects.get()
    assert base.fields == ["数字经济", "智能制造", "现代服务业"]
    assert (base.recognised_on, base.certificate_year) == (datetime.date(2021, 3, 4), 2021)


def kept_example_workbook(*rows):
    """The downloaded template with the example row kept and `rows` added below it."""
    from bases.imports import template_workbook

    wb = load_workbook(io.BytesIO(template_workbook()))
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("bases.xlsx", buf.getvalue())


def test_kept_example_row_is_never_imported_and_is_reported(client, reg):
    """R-36: the template says the example may be kept, so keeping it must not register a fictitious base."""
    result = bases_import(actor=reg.admin, upload=kept_example_workbook(row()))
    assert result.ok and result.rows == 1 and [b.name for b in result.created] == ["导入基地"]
    assert result.skipped == [(2, "模板示例行，未导入")]
    assert list(Base.objects.values_list("name", flat=True)) == ["导入基地"]
    client.force_login(reg.admin)
    response = client.post(
        reverse("bases:import"), {"file": kept_example_workbook(row(cert="另一证书"))}, follow=True
    )
    body = response.content.decode()
    assert "第 2 行：模板示例行，未导入。" in body and "新增 1 个" in body


def test_unmarked_example_of_an_older_template_is_skipped_too(reg):
    from bases.imports import EXAMPLE

    old = [EXAMPLE[0].removeprefix("【示例】"), _code(EXAMPLE[1][:17]), *EXAMPLE[2:]]
    result = bases_import(actor=reg.admin, upload=workbook([old, row()]))
    assert result.skipped == [(2, "模板示例行，未导入")]
    assert list(Base.objects.values_list("name", flat=True)) == ["导入基地"]


def test_imported_base_is_findable_by_city_and_search_text(client, reg):
    bases_import(actor=reg.admin, upload=workbook([row(region="510107")]))
    base = Base.objects.get()
    assert base.prefecture_id == "510100"
    assert {"导入基地", "导入学院", "成都市", "武侯区"} <= set(base.search_text.replace("、", " ").split())
    assert [b.name for b in client.get("/bases/", {"q": "成都"}).context["page"].object_list] == ["导入基地"]
