"""Official documents as PDF: a template rendered to HTML, laid out by WeasyPrint with the portal's CJK font.

Every document template extends `documents/base.html`, which carries the A4 page, the font stack (Noto CJK from
Debian's fonts-noto-cjk: WeasyPrint embeds the subset it uses, so the text extracts and prints anywhere) and the
footer: the document's own line on the left, "第 x 页 共 y 页" on the right. Apps build their documents' context
and call `pdf_response`; nothing here knows an app.

WeasyPrint fetches nothing: the stylesheet is inline, QR codes are inline SVG, and the URL fetcher refuses every
scheme but `data:`, so text typed by a user can never make the server read a file or call a URL.
"""

import hashlib
import json
import re

import segno
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

PDF_CONTENT_TYPE = "application/pdf"
# Noto Sans CJK SC alone: one family (regular and bold) for every script keeps the fonts embedded, and the
# time spent subsetting them, to one family.
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", "Noto Sans SC", sans-serif'

# Characters that never belong in a file name offered to a browser or stored in a zip.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')

_font_config = None


def _weasyprint():
    # Imported on first use: Pango is loaded with it, and a machine without it should fail only the document
    # being asked for, not every page of the portal.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration


def page_counter_content() -> str:
    """Return the CSS `content` of the page counter in the active language: "第 x 页 共 y 页"."""
    text = _("第 %(page)s 页 共 %(pages)s 页")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", text)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append("counter(page)")
        elif part == "%(pages)s":
            out.append("counter(pages)")
        elif part:
            out.append(css_string(part))
    return " ".join(out)


def css_string(text: str) -> str:
    """Quote `text` as a CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def render_html(template: str, context: dict) -> str:
    """Render a document template with what `documents/base.html` needs besides the app's context."""
    return render_to_string(
        template,
        {"pdf_font_family": FONT_FAMILY, "pdf_page_counter": page_counter_content(), **context},
    )


def html_to_pdf(html: str) -> bytes:
    """Lay HTML out as PDF bytes; WeasyPrint may read `data:` URLs only."""
    global _font_config
    weasyprint, font_configuration = _weasyprint()
    if _font_config is None:
        # Reused between documents: building it scans the system's fonts.
        _font_config = font_configuration()
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    return document.write_pdf(font_config=_font_config)


def render_pdf(template: str, context: dict) -> bytes:
    """Render a document template to PDF bytes."""
    return html_to_pdf(render_html(template, context))


def render_pdf_cached(template: str, context: dict, *, key: str, timeout: int = 86400) -> bytes:
    """Render a document whose content `key` identifies completely (e.g. a submitted version's fingerprint),
    reusing the PDF already rendered for it in the active language: a 20-page form takes seconds to lay out,
    and the same version is printed again and again. The key must change whenever the content may."""
    full_key = f"kit.pdf:{key}:{get_language()}"
    pdf = cache.get(full_key)
    if pdf is None:
        pdf = render_pdf(template, context)
        cache.set(full_key, pdf, timeout)
    return pdf


def safe_filename(name: str, *, default: str = "document") -> str:
    """Return `name` without path separators or characters a file system refuses, at most 120 characters."""
    cleaned = _UNSAFE_NAME.sub("_", name).strip(" ._")
    return cleaned[:120] or default


def pdf_response(pdf: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """Serve PDF bytes as a download named `filename` (a document name, never personal data)."""
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(not inline, safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    # A document may show personal data (a name, a masked ID) or an authority's file: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


def qr_svg(payload: str, *, size_mm: int = 30) -> str:
    """Return the QR code of `payload` as an inline SVG element `size_mm` wide, for a document template."""
    qr = segno.make(payload, error="m")
    svg = qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None)
    # Sized by the document: the path is drawn in modules, the viewBox scales it to the box.
    return svg.replace("<svg ", f'<svg width="{size_mm}mm" height="{size_mm}mm" ', 1)


def digest(data) -> str:
    """Return the SHA-256 of JSON data in canonical form (sorted keys, no spaces): a version's fingerprint."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
