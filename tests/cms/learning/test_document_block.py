from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.learning.blocks import DocumentDownloadBlock


def render(title, document_title="Leitfaden Social Media"):
    document = get_document_model().objects.create(
        title=document_title, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="leitfaden.pdf")
    )
    block = DocumentDownloadBlock()
    return " ".join(
        block.render(block.to_python({"document": document.pk, "title": title})).split()
    )


def test_the_file_type_is_said_once(db):
    html = render("Leitfaden (PDF)")

    assert html.count("PDF") == 1
    assert '>Leitfaden <span class="hint">(PDF' in html


def test_without_link_text_the_document_title_is_shown(db):
    html = render("", document_title="Checkliste Datenschutz (pdf)")

    assert "Checkliste Datenschutz <span" in html
    assert html.count("PDF") == 1
