"""Text views for model output that never load a resource: no local file, no network, no hang.

Qt's document loads what an image or link names (``![x](/etc/passwd)``, ``<img src=...>``) by
itself, falling back to reading local files when the widget does not answer; a FIFO hangs it and
``/dev/zero`` exhausts memory. Answering "nothing" is not enough for images: Qt's image handler then
opens the file itself (measured: a FIFO blocks in QImageReader). So images get a blank placeholder,
everything else nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser

# GitHub Markdown, with raw HTML blocks and spans shown as text instead of interpreted.
MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


def _blank() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    return image


class SafeDocument(QTextDocument):
    """A document whose images are all a blank placeholder and whose other resources are nothing."""

    def loadResource(self, type: int, name: QUrl | str) -> QImage | None:
        if type == QTextDocument.ResourceType.ImageResource.value:
            return _blank()
        return None


class SafeBrowser(QTextBrowser):
    """A read-only rich-text view for text we do not control; links are reported, never followed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDocument(SafeDocument(self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type: int, name: QUrl | str) -> None:
        return None

    def setSource(self, name: QUrl | str, type: object = None) -> None:
        """Never navigate: a source would be read from disk or the network."""

    def set_markdown(self, text: str) -> None:
        """Render ``text`` as Markdown; HTML in it shows as text."""
        self.document().setMarkdown(text, MARKDOWN)
