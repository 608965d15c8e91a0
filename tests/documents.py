"""Helpers of the document tests: read a PDF's text back, and keep its pages as PNG for a human to look at."""

import io
import os
import subprocess
from pathlib import Path

from pypdf import PdfReader

# Set DOCS_SCREENS=<dir> to write each tested PDF's first pages there as PNG (pdftoppm), to check the layout.
SCREENS = os.environ.get("DOCS_SCREENS")


def read_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), content[:20]
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """Return the text of every page, as pypdf extracts it (only possible when the fonts are embedded)."""
    return "\n".join(page.extract_text() for page in read_pdf(content).pages)


def flat_text(content: bytes) -> str:
    """Return the text with line breaks removed, so a heading wrapped across two lines still matches."""
    return pdf_text(content).replace("\n", "")


def embedded_fonts(content: bytes) -> set[str]:
    """Return the names of the fonts embedded in the PDF (those with a font file)."""
    names = set()
    for page in read_pdf(content).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is not None:
                d = descriptor.get_object()
                if any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(target["/BaseFont"]))
    return names


def save_screens(name: str, content: bytes, pages: int = 2) -> None:
    if not SCREENS:
        return
    out = Path(SCREENS)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.pdf").write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            str(pages),
            str(out / f"{name}.pdf"),
            str(out / name),
        ],
        check=True,
    )
