"""The recognition decision and base certificate as PDF (R-17, R-18): content, QR code and who may fetch it."""

import pytest
from django.urls import reverse

from bases.documents import base_profile_url, certificate_context, notice_number
from bases.models import Base, Notice
from kit.pdf import qr_svg, render_html
from tests.documents import flat_text, pdf_text, save_screens

pytestmark = pytest.mark.django_db


def certificate(client, base):
    return client.get(reverse("bases:certificate_pdf", args=[base.pk]))


def recognised(reg, **kwargs):
    """A base with the notice that published its recognition, as publication leaves them."""
    from bases.services import notice_publish

    base = reg.base(**kwargs)
    notice_publish(
        actor=reg.cd_approver,
        kind=Notice.Kind.RECOGNITION,
        title=f"关于认定{base.name}为市（州）级继续教育基地的公告",
        body=f"经公示无异议，现认定下列机构为继续教育基地。\n基地名称：{base.name}\n证书编号：{base.certificate_no}",
        authority=base.approving_authority,
        base=base,
    )
    return base


def test_r18_certificate_pdf_shows_decision_and_certificate_with_cjk_text(client, reg):
    base = recognised(reg, name="成都数字经济继续教育基地")
    response = certificate(client, base)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    save_screens("certificate", response.content)
    text = flat_text(response.content)
    notice = Notice.objects.get(base=base)
    for expected in [
        "关于认定成都数字经济继续教育基地为市（州）级继续教育基地的决定",
        notice_number(notice),
        "继续教育基地证书",
        base.name,
        base.institution.name,
        base.certificate_no,
        "市（州）级",
        "批准部门",
        reg.chengdu.name,
        base_profile_url(base),
    ]:
        assert expected in text, expected


def test_r18_qr_code_holds_the_absolute_address_of_the_public_profile(reg, settings):
    settings.PORTAL_BASE_URL = "https://jxjy.rst.sc.gov.cn"
    base = recognised(reg)
    context = certificate_context(base)
    assert context["profile_url"] == f"https://jxjy.rst.sc.gov.cn/bases/{base.pk}/"
    assert context["qr"] == qr_svg(context["profile_url"], size_mm=32)
    html = render_html("bases/pdf/certificate.html", context)
    assert context["qr"] in html and "<svg" in html


def test_certificate_of_an_imported_base_says_it_was_recognised_before_the_portal(client, reg):
    base = reg.base()
    text = pdf_text(certificate(client, base).content)
    assert "系统上线前已认定" in text and base.certificate_no in text


def test_certificate_file_name_is_the_bases_name(client, reg):
    base = recognised(reg, name="测试基地")
    disposition = certificate(client, base)["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".pdf" in disposition


@pytest.mark.parametrize("status", ["active", "rectification"])
def test_public_has_the_certificate_of_a_recognised_base(client, reg, status):
    base = recognised(reg, status=status)
    assert certificate(client, base).status_code == 200


def test_public_gets_404_for_a_revoked_base(client, reg):
    base = recognised(reg, status=Base.Status.REVOKED)
    assert certificate(client, base).status_code == 404
    client.force_login(reg.other_operator)
    assert certificate(client, base).status_code == 404
    client.force_login(reg.my_approver)  # another jurisdiction
    assert certificate(client, base).status_code == 404


def test_revoked_base_certificate_is_marked_for_its_institution_and_authority(client, reg):
    base = recognised(reg, status=Base.Status.REVOKED)
    for user in (reg.operator, reg.cd_reviewer, reg.sc_reviewer):
        client.force_login(user)
        response = certificate(client, base)
        assert response.status_code == 200
        assert "已撤销" in pdf_text(response.content)
    save_screens("certificate-revoked", response.content, pages=2)


def test_unknown_base_is_404(client, reg):
    assert client.get(reverse("bases:certificate_pdf", args=[999999])).status_code == 404


def test_profile_page_links_the_certificate(client, reg):
    base = recognised(reg)
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert reverse("bases:certificate_pdf", args=[base.pk]) in page
