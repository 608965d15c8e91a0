"""The certificate of hours as PDF (R-32, R-35): content, QR code of the verification address, superseded marks."""

import pytest
from django.urls import reverse

from hours import crypto, services
from hours.documents import certificate_context, certificate_status, verification_url
from hours.ingest import records_void
from hours.models import Person
from kit.pdf import qr_svg, render_html
from tests.documents import flat_text, save_screens
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def issued(hw, *records):
    ingest(hw, *records)
    person = Person.objects.get(id_hash=crypto.lookup_hash(make_id(1)))
    return services.certificate_issue(actor=hw.cd_reviewer, person=person, year=2026)


def test_r35_certificate_pdf_shows_the_year_totals_result_records_and_code(client, hw):
    cert = issued(hw, hw.record(1, hours="24"), hw.record(1, external_id="g1", subject="general", hours="20"))
    response = client.get(reverse("hours:certificate_pdf", args=[cert.code]))  # public: the code is the key
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    save_screens("hours-certificate", response.content, pages=1)
    text = flat_text(response.content)
    for expected in [
        "专业技术人员继续教育学时证明",
        "学员1",
        crypto.mask(make_id(1)),
        "2026",
        "总学时 44",
        "公需科目",
        "专业科目",
        "未达到",  # 44 hours: short of 90
        hw.b.name,
        hw.klass.title,
        hw.general_klass.title,
        cert.code,
    ]:
        assert expected in text, expected
    assert make_id(1) not in text  # never the full ID number
    assert "已失效" not in text


def test_r32_qr_code_holds_the_public_verification_address_with_the_code(hw, settings):
    settings.PORTAL_BASE_URL = "https://jxjy.rst.sc.gov.cn"
    cert = issued(hw, hw.record(1))
    assert verification_url(cert) == f"https://jxjy.rst.sc.gov.cn/hours/verify/?code={cert.code}"
    context = certificate_context(cert)
    assert context["qr"] == qr_svg(verification_url(cert), size_mm=28)
    html = render_html("hours/pdf/certificate.html", context)
    assert context["qr"] in html and "<svg" in html


def test_r32_a_later_void_supersedes_the_certificate_on_the_verify_page_and_the_pdf(client, hw):
    cert = issued(hw, hw.record(1), hw.record(1, external_id="r2", hours="8"))
    assert certificate_status(cert).current
    body = client.get(reverse("hours:verify"), {"code": cert.code}).content.decode()
    assert "真实有效" in body and "已失效" not in body
    records_void(base=hw.b, external_ids=["r2"], reason="重复报送", source="api")
    status = certificate_status(cert)
    assert status.superseded and status.summary["total"] == 12
    body = client.get(reverse("hours:verify"), {"code": cert.code}).content.decode()
    assert "已失效/已更新" in body and "真实有效" not in body
    content = client.get(reverse("hours:certificate_pdf", args=[cert.code])).content
    save_screens("hours-certificate-superseded", content, pages=1)
    assert "已失效/已更新" in flat_text(content)


def test_certificate_pdf_file_name_has_no_personal_data(client, hw):
    cert = issued(hw, hw.record(1))
    disposition = client.get(reverse("hours:certificate_pdf", args=[cert.code]))["Content-Disposition"]
    assert cert.code in disposition and "2026" in disposition
    assert "学员1" not in disposition and "%E5%AD%A6%E5%91%98" not in disposition


@pytest.mark.parametrize("code", ["ZZZZZZZZZZZZ", "x" * 40, "AB-CD"])
def test_unknown_certificate_code_is_404(client, hw, code):
    assert client.get(reverse("hours:certificate_pdf", args=[code])).status_code == 404


def test_verify_and_certificate_pages_link_the_pdf(client, hw):
    cert = issued(hw, hw.record(1))
    url = reverse("hours:certificate_pdf", args=[cert.code])
    assert url in client.get(reverse("hours:verify"), {"code": cert.code}).content.decode()
    client.force_login(hw.cd_reviewer)
    assert url in client.get(reverse("hours:certificate", args=[cert.code])).content.decode()
