"""One message of the conversation: its role and its text, with move and remove buttons, and
"‹ 1/2 ›" to switch between the versions of this turn when a re-run made a branch."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.llm.conversation import Choice
from playground.llm.request import Message
from ui.common.background import Background
from ui.playground.image_strip import ImageStrip
from ui.playground.image_text_edit import ImageTextEdit

ROLES = ("user", "assistant")


class MessageRow(QFrame):
    changed = Signal()
    removeRequested = Signal(object)
    moveRequested = Signal(object, int)
    rerunRequested = Signal(object)  # re-run the conversation from this user turn
    branchRequested = Signal(object, int)  # show the previous (-1) or next (+1) version of this turn

    def __init__(self, message: Message, background: Background, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.role.setCurrentText(message.role)
        self.role.setAccessibleName("Message role")
        self.text = ImageTextEdit()
        self.text.setPlaceholderText("Write a message… use {{name}} for a variable")
        self.text.setPlainText(message.content)
        self.text.setMinimumHeight(70)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName("Message text")
        up, down, remove = QToolButton(), QToolButton(), QToolButton()
        for button, label, tip in ((up, "↑", "Move up"), (down, "↓", "Move down"), (remove, "✕", "Remove")):
            button.setText(label)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.rerun = QToolButton()
        self.rerun.setText("↻ Re-run")
        self.rerun.setToolTip(
            "Run the conversation up to this message again; the later turns are kept as a branch"
        )
        self.rerun.setAccessibleName("Re-run from this message")
        self.rerun.setAutoRaise(True)
        self.previous, self.next = QToolButton(), QToolButton()
        for button, label, tip in (
            (self.previous, "‹", "Previous version of this turn"),
            (self.next, "›", "Next version of this turn"),
        ):
            button.setText(label)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
        self.version = QLabel()
        self.version.setAccessibleName("Version of this turn")
        self.version.setToolTip("This turn has other versions, each with its own later turns")
        top.addWidget(self.role)
        top.addWidget(self.rerun)
        for widget in (self.previous, self.version, self.next):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(up)
        top.addWidget(down)
        top.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.text)
        self.images = ImageStrip(background)
        self.images.set_images(message.images, message.missing_images, message.detail)
        layout.addWidget(self.images)
        self._show_images(message.role)
        self.role.currentTextChanged.connect(self._show_images)
        self.images.changed.connect(self.changed)
        self.text.filesGiven.connect(self.images.add_files)
        self.text.pictureGiven.connect(self.images.add_picture)
        self.role.currentTextChanged.connect(self.changed)
        self.role.currentTextChanged.connect(lambda role: self.rerun.setVisible(role == "user"))
        self.rerun.setVisible(message.role == "user")
        self.rerun.clicked.connect(lambda: self.rerunRequested.emit(self))
        self.text.textChanged.connect(self.changed)
        up.clicked.connect(lambda: self.moveRequested.emit(self, -1))
        down.clicked.connect(lambda: self.moveRequested.emit(self, 1))
        remove.clicked.connect(lambda: self.removeRequested.emit(self))
        self._buttons = (self.rerun, self.previous, self.next, up, down, remove)
        self.previous.clicked.connect(lambda: self.branchRequested.emit(self, -1))
        self.next.clicked.connect(lambda: self.branchRequested.emit(self, 1))
        self.set_choice(None)

    def focus_order(self) -> list[QWidget]:
        """What Tab visits in this row: its role, its text and images, then the row's buttons."""
        images = [
            w
            for w in self.images.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.window() is self.window()  # no popups
        ]
        return [self.role, self.text, *images, *self._buttons]

    def message(self) -> Message:
        role = self.role.currentText()
        if role != "user":
            return Message(role, self.text.toPlainText())  # type: ignore[arg-type]
        images, missing, detail = self.images.images(), self.images.missing(), self.images.detail_level()
        return Message("user", self.text.toPlainText(), images=images, detail=detail, missing_images=missing)

    def set_model(self, openai: bool, vision_reason: str) -> None:
        self.images.set_openai(openai)
        self.images.set_vision(vision_reason)

    def _show_images(self, role: str) -> None:
        """Images belong to user turns: the strip (and paste or drop of images) only there."""
        self.images.setVisible(role == "user")
        self.text.images_allowed = role == "user"

    def set_choice(self, choice: Choice | None) -> None:
        """Show "‹ i/n ›" when this turn has other versions (``choice``); hide it otherwise."""
        shown = choice is not None and choice.count > 1
        for widget in (self.previous, self.version, self.next):
            widget.setVisible(shown)
        if choice is not None and shown:
            self.version.setText(f"{choice.index + 1}/{choice.count}")
            self.previous.setEnabled(choice.index > 0)
            self.next.setEnabled(choice.index < choice.count - 1)
