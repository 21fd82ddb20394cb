"""The conversation: messages to add, remove and reorder, with undo for those changes.

A long conversation shows its last ``SHOWN`` turns; the earlier ones stay messages (sent, saved and
counted the same) behind a "Show earlier messages" button, which builds them ``SHOWN`` at a time: 2,000
rows of editors took seconds of the GUI thread to build and lay out."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from playground.llm.conversation import Choice
from playground.llm.request import Message
from ui.common.background import Background
from ui.playground.message_row import MessageRow

UNDO_DEPTH = 50
SHOWN = 100  # rows built at once; a row is a few widgets and an editor, so 2,000 take seconds


class MessageList(QWidget):
    changed = Signal()
    rerunRequested = Signal(int)  # the index of the user turn to re-run from
    branchRequested = Signal(int, int)  # (index of the turn, -1 or +1): show another version of it

    def __init__(self, background: Background | None = None, parent=None):
        super().__init__(parent)
        # Image files are read and thumbnailed off the GUI thread (a pool of its own when not given one).
        self._background = background or Background(self, workers=1, name="images")
        self._rows: list[MessageRow] = []
        self._model: tuple[bool, str] = (True, "")  # (OpenAI API, why the model may not read images)
        self._earlier: list[Message] = []  # the turns before the first row, not built yet
        self._earlier_choices: list[Choice | None] = []
        self._undo: list[list[Message]] = []
        self._inner = QWidget()
        self.earlier_button = QPushButton()
        self.earlier_button.setAccessibleName("Show earlier messages")
        self.earlier_button.clicked.connect(self.show_earlier)
        self.earlier_button.hide()
        self._column = QVBoxLayout(self._inner)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(6)
        self._column.addWidget(self.earlier_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self._column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop of its own did nothing: Tab scrolls it
        self._scroll = scroll
        self._inner.installEventFilter(self)  # a row that grows (‹ 2/2 › shown) widens the column
        self.add_button = QPushButton("+ Add message")
        self.add_button.setToolTip("Add a message (the role alternates: user, assistant, user…)")
        self.add_button.clicked.connect(self._add_next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        # Rows made after the window (an opened conversation, an answer's turns) went to the end of
        # its Tab order, after every parameter: the message box was ~35 Tabs away. Rows are chained
        # in their place once the change is done (one pass for a whole conversation).
        self._chain_timer = QTimer(self)
        self._chain_timer.setSingleShot(True)
        self._chain_timer.setInterval(0)
        self._chain_timer.timeout.connect(self._chain)

    def set_model(self, api: str, model: str) -> None:
        """The picked model: the detail level shows for OpenAI APIs, and a model that may not read
        images says so on each message with images."""
        from playground.llm.vision import Support, vision_support

        found = vision_support(model)
        self._model = (api != "anthropic", "" if found.support is Support.YES else found.reason)
        for row in self._rows:
            row.set_model(*self._model)

    def messages(self) -> list[Message]:
        return [*self._earlier, *(row.message() for row in self._rows)]

    def set_messages(self, messages: list[Message]) -> None:
        for row in self._rows:
            self._drop(row)
        self._rows = []
        messages = messages or [Message("user", "")]
        self._earlier = list(messages[:-SHOWN])
        self._earlier_choices = []
        for message in messages[-SHOWN:]:
            self._insert(message)
        self._update_earlier()
        self.changed.emit()

    def show_earlier(self) -> None:
        """Build the rows of up to ``SHOWN`` earlier turns above the first one shown."""
        if not self._earlier:
            return
        first = self._rows[0] if self._rows else None
        cut = max(0, len(self._earlier) - SHOWN)
        messages, self._earlier = self._earlier[cut:], self._earlier[:cut]
        choices, self._earlier_choices = self._earlier_choices[cut:], self._earlier_choices[:cut]
        for at, message in enumerate(messages):
            row = self._insert(message, at)
            row.set_choice(choices[at] if at < len(choices) else None)
        self._update_earlier()
        if first is not None:
            self._scroll.ensureWidgetVisible(first)

    def _show_all(self) -> None:
        while self._earlier:
            self.show_earlier()

    def _update_earlier(self) -> None:
        count = len(self._earlier)
        self.earlier_button.setText(f"Show {min(count, SHOWN):,} earlier messages (of {count:,})")
        self.earlier_button.setVisible(count > 0)

    def replace(self, messages: list[Message]) -> None:
        """Show other turns (another branch, an opened conversation); undoable."""
        self._remember()
        self.set_messages(messages)

    def show_choices(self, choices: list[Choice | None]) -> None:
        """Each row's "‹ i/n ›" (None: no other version known); the earlier turns' wait for their rows."""
        hidden = len(self._earlier)
        self._earlier_choices = list(choices[:hidden])
        for row, choice in zip(self._rows, choices[hidden:], strict=False):
            row.set_choice(choice)

    def add_message(self, role: str, text: str = "") -> MessageRow:
        self._remember()
        row = self._insert(Message(role, text))  # type: ignore[arg-type]
        row.text.setFocus()
        self.changed.emit()
        return row

    def extend(self, messages: list[Message]) -> None:
        """Append turns (an answer and the next empty user message); undoable like an add."""
        self._remember()
        for message in messages:
            self._insert(message)
        self._rows[-1].text.setFocus()
        self.changed.emit()

    def cut_after(self, index: int) -> None:
        """Drop the turns after ``index`` (a re-run replaces them); undoable."""
        self._remember()
        if index < len(self._earlier):
            self._show_all()
        index -= len(self._earlier)
        for row in self._rows[index + 1 :]:
            self._drop(row)
        del self._rows[index + 1 :]
        self.changed.emit()

    def last_editor(self):
        return self._rows[-1].text if self._rows else None

    def first_editor(self):
        return self._rows[0].text if self._rows else None

    def undo(self) -> bool:
        """Undo the last add, remove or move (text edits have each editor's own undo)."""
        if not self._undo:
            return False
        self.set_messages(self._undo.pop())
        return True

    def _add_next(self) -> None:
        last = self._rows[-1].message().role if self._rows else "assistant"
        self.add_message("assistant" if last == "user" else "user")

    def _insert(self, message: Message, at: int | None = None) -> MessageRow:
        row = MessageRow(message, self._background)
        row.set_model(*self._model)
        row.changed.connect(self.changed)
        row.removeRequested.connect(self._remove)
        row.moveRequested.connect(self._move)
        row.rerunRequested.connect(lambda r: self.rerunRequested.emit(self._index(r)))
        row.branchRequested.connect(lambda r, delta: self.branchRequested.emit(self._index(r), delta))
        at = len(self._rows) if at is None else at
        self._column.insertWidget(at + 1, row)  # after the "Show earlier" button
        self._rows.insert(at, row)
        self._chain_timer.start()
        return row

    def _chain(self) -> None:
        """Tab order: "Show earlier", each row in its place (role, text, images, buttons), "Add"."""
        self._chain_timer.stop()
        order = [self.earlier_button, *(w for row in self._rows for w in row.focus_order()), self.add_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _index(self, row: MessageRow) -> int:
        """The row's turn in the whole conversation (the earlier, unbuilt turns count)."""
        return len(self._earlier) + self._rows.index(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._inner and event.type() == QEvent.Type.LayoutRequest:
            self._fit_width()
        return super().eventFilter(watched, event)

    def _fit_width(self) -> None:
        """The column is as wide as its widest row needs: rows differ (Re-run, ‹ i/n ›), none is cut."""
        widest = max((row.minimumSizeHint().width() for row in self._rows if not row.isHidden()), default=0)
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        self._scroll.setMinimumWidth(widest + bar + 4)

    def _drop(self, row: MessageRow) -> None:
        """Out of the layout and hidden at once (the deletion itself waits for the event loop)."""
        self._column.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _remember(self) -> None:
        self._undo.append(self.messages())
        del self._undo[:-UNDO_DEPTH]

    def _remove(self, row: MessageRow) -> None:
        if len(self._rows) == 1 and not self._earlier:
            self._remember()
            row.text.clear()
            return
        self._remember()
        self._rows.remove(row)
        self._drop(row)
        if not self._rows:
            self.show_earlier()
        self.changed.emit()

    def _move(self, row: MessageRow, delta: int) -> None:
        if self._earlier and self._rows.index(row) + delta < 0:
            self.show_earlier()  # moving the first shown row up: the one above gets its row
        index = self._rows.index(row)
        target = index + delta
        if not 0 <= target < len(self._rows):
            return
        self._remember()
        self._rows.insert(target, self._rows.pop(index))
        self._column.removeWidget(row)
        self._column.insertWidget(target + 1, row)
        self._chain()
        self.changed.emit()
