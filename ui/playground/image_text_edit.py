"""A message text box that hands pasted and dropped images to the image strip instead of inserting
their file paths as text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPlainTextEdit

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic")


def image_files(source: QMimeData) -> list[Path]:
    """Dropped or pasted local files that look like images (the reader checks them properly)."""
    if not source.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in source.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES]


class ImageTextEdit(QPlainTextEdit):
    filesGiven = Signal(list)  # list[Path]
    pictureGiven = Signal(QImage)
    images_allowed = False  # only user messages take images

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if self.images_allowed and (image_files(source) or source.hasImage()):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if self.images_allowed:
            files = image_files(source)
            if files:
                self.filesGiven.emit(files)
                return
            if source.hasImage():
                picture = source.imageData()
                if isinstance(picture, QImage) and not picture.isNull():
                    self.pictureGiven.emit(picture)
                    return
        super().insertFromMimeData(source)
