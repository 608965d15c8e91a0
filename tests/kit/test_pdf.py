"""kit/pdf.py: the documents' PDF plumbing (R-14, R-18, R-32 documents are built on it)."""

import segno
from django.utils import translation

from kit.pdf import css_string, digest, html_to_pdf, page_counter_content, pdf_response, qr_svg, safe_filename
from tests.documents import embedded_fonts, pdf_text, read_pdf


def test_page_counter_is_the_translated_sentence_with_css_counters():
    with translation.override("zh-hans"):
        assert page_counter_content() == '"第 " counter(page) " 页 共 " counter(pages) " 页"'


def test_css_string_escapes_quotes_and_backslashes():
    assert css_string('a"b\\c') == '"a\\"b\\\\c"'


def test_safe_filename_drops_path_separators_and_control_characters():
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename('申报表:"基地"?.pdf') == "申报表_基地_.pdf"
    assert safe_filename("") == "document"
    assert len(safe_filename("长" * 300)) == 120


def test_qr_svg_is_an_inline_svg_of_the_payload_at_the_given_size():
    svg = qr_svg("https://example.cn/bases/1/", size_mm=30)
    assert svg.startswith('<svg width="30mm" height="30mm" ') and "viewBox" in svg
    expected = segno.make("https://example.cn/bases/1/", error="m").svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None
    )
    assert svg.split(">", 1)[1] == expected.split(">", 1)[1]


def test_digest_is_independent_of_key_order():
    assert digest({"a": 1, "b": [1, "二"]}) == digest({"b": [1, "二"], "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})


def test_html_to_pdf_embeds_the_cjk_font_and_extracts_chinese_text():
    pdf = html_to_pdf(
        "<html><body style=\"font-family: 'Noto Sans CJK SC'\">四川省继续教育基地</body></html>"
    )
    assert "四川省继续教育基地" in pdf_text(pdf)
    assert any("Noto-Sans-CJK-SC" in f for f in embedded_fonts(pdf))


def test_html_to_pdf_fetches_no_file_or_url():
    """Text typed by a user can never make the server read a file or call an address while rendering."""
    pdf = html_to_pdf(
        '<img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"><p>x</p>'
    )
    resources = read_pdf(pdf).pages[0]["/Resources"].get_object()
    assert not resources.get("/XObject")


def test_pdf_response_is_a_download_with_a_safe_name():
    response = pdf_response(b"%PDF-1.7", filename="申报表/基地.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "/" not in response["Content-Disposition"].split("filename", 1)[1]
    assert response["Cache-Control"] == "private, no-store"
