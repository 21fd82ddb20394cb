"""The images of one user message: thumbnails with remove, Attach…, OpenAI's detail level, and a line
saying when the model cannot read images. Files are read, checked and scaled off the GUI thread."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.images import Detail, Image, ImageError, ImageRef, read_image, read_image_file
from ui.common.background import Background

THUMB = 56
FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp)"


def _load_file(path: Path) -> tuple[Image, QImage]:
    image = read_image_file(path)
    return image, _thumbnail(image)


def _load_pasted(picture: QImage) -> tuple[Image, QImage]:
    """A pasted picture has no file: we send it as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(buffer, "PNG")  # type: ignore[call-overload]
    image = read_image(bytes(data.data()), name="the pasted image")
    return image, _thumbnail(image)


def _with_thumbnail(image: Image) -> tuple[Image, QImage]:
    return image, _thumbnail(image)


def _thumbnail(image: Image) -> QImage:
    decoded = QImage.fromData(image.data)
    if decoded.isNull():
        return QImage()
    return decoded.scaled(
        THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class ImageStrip(QWidget):
    changed = Signal()

    def __init__(self, background: Background, parent: QWidget | None = None):
        super().__init__(parent)
        self._background = background
        self._images: list[Image] = []
        self._missing: list[ImageRef] = []
        self._thumbnails: dict[str, QImage] = {}
        self._openai = True
        self._vision_reason = ""
        self.attach = QToolButton()
        self.attach.setText("Attach image…")
        self.attach.setToolTip("Attach PNG, JPEG, GIF or WebP images (or paste or drop them on the message)")
        self.attach.setAccessibleName("Attach image")
        self.detail = QComboBox()
        for label, value in (
            ("Detail: auto", Detail.AUTO),
            ("Detail: low", Detail.LOW),
            ("Detail: high", Detail.HIGH),
        ):
            self.detail.addItem(label, value)
        self.detail.setToolTip("OpenAI's detail level: low costs a fixed small number of tokens per image")
        self.detail.setAccessibleName("Image detail level")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setAccessibleName("Image problem")
        holder = QWidget()
        self._thumbs = QHBoxLayout(holder)
        self._thumbs.setContentsMargins(0, 0, 0, 0)
        self._thumbs.setAlignment(Qt.AlignmentFlag.AlignLeft)
        # Many images scroll sideways rather than widen the window.
        self._scroll = QScrollArea()
        self._scroll.setWidget(holder)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFixedHeight(THUMB + 46)
        self._scroll.setMinimumWidth(THUMB + 12)
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.attach)
        controls.addWidget(self.detail)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._scroll)
        layout.addLayout(controls)
        layout.addWidget(self.problem)
        self.problem.hide()
        self.detail.hide()
        self.attach.clicked.connect(self._choose)
        self.detail.currentIndexChanged.connect(self.changed)
        self._scroll.hide()

    # what the message sends

    def images(self) -> tuple[Image, ...]:
        return tuple(self._images)

    def missing(self) -> tuple[ImageRef, ...]:
        return tuple(self._missing)

    def detail_level(self) -> Detail:
        value = self.detail.currentData()
        return value if isinstance(value, Detail) else Detail.AUTO

    def set_images(self, images: tuple[Image, ...], missing: tuple[ImageRef, ...], detail: Detail) -> None:
        """Show a message's images (reopened or re-shown); their thumbnails are made in the background."""
        self._images, self._missing = list(images), list(missing)
        self.detail.setCurrentIndex(max(0, self.detail.findData(detail)))
        self._rebuild()
        for image in images:
            self._background.submit(partial(_with_thumbnail, image), self._thumbnail_ready, self._failed)

    def _thumbnail_ready(self, loaded: tuple[Image, QImage]) -> None:
        self._thumbnails[loaded[0].sha256] = loaded[1]
        self._rebuild()

    def set_openai(self, openai: bool) -> None:
        """The detail level matters only to OpenAI endpoints."""
        self._openai = openai
        self.detail.setVisible(openai and bool(self._images))

    def set_vision(self, reason: str) -> None:
        """Why the current model may not read images ("" when it does); shown while images are attached."""
        self._vision_reason = reason
        self._show_vision()

    def _show_vision(self) -> None:
        if self._images and self._vision_reason:
            self.show_problem(self._vision_reason)
        elif self.problem.text() == self._vision_reason:
            self.show_problem("")

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    # adding

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            self._background.submit(partial(_load_file, path), self._added, self._failed)

    def add_picture(self, picture: QImage) -> None:
        self._background.submit(lambda: _load_pasted(picture.copy()), self._added, self._failed)

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach images", "", FILTER)
        self.add_files([Path(n) for n in names])

    def _added(self, loaded: tuple[Image, QImage]) -> None:
        image, thumb = loaded
        self._images.append(image)
        self._thumbnails[image.sha256] = thumb
        self._rebuild()
        self.show_problem("")
        self._show_vision()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.show_problem(str(exc) if isinstance(exc, ImageError) else f"Could not attach the image: {exc}")

    def _remove(self, index: int) -> None:
        del self._images[index]
        self._rebuild()
        self._show_vision()
        self.changed.emit()

    def _rebuild(self) -> None:
        while self._thumbs.count():
            item = self._thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, image in enumerate(self._images):
            thumb = self._thumbnails.get(image.sha256, QImage())
            self._add_thumb(image.describe(), thumb, lambda _=False, i=index: self._remove(i))
        for ref in self._missing:
            self._add_thumb(ref.describe(), QImage(), None)
        self.detail.setVisible(self._openai and bool(self._images))
        self._scroll.setVisible(bool(self._images or self._missing))

    def _add_thumb(self, tip: str, thumb: QImage, remove) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        picture = QLabel()
        picture.setFixedSize(THUMB, THUMB)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setStyleSheet("border: 1px solid palette(mid)")
        if thumb.isNull():
            picture.setText("…" if remove is not None else "not\nstored")
        else:
            picture.setPixmap(QPixmap.fromImage(thumb))
        picture.setToolTip(tip)
        picture.setAccessibleName(f"Attached image: {tip}")
        column.addWidget(picture)
        if remove is not None:
            button = QToolButton()
            button.setText("✕")
            button.setToolTip("Remove this image")
            button.setAutoRaise(True)
            button.setAccessibleName(f"Remove image {tip}")
            button.clicked.connect(remove)
            column.addWidget(button)
        self._thumbs.addWidget(box)
