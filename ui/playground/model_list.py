"""The model picker's drop-down: a filter line over favourites, recents and each endpoint's models.

Keyboard first: typing filters, ↑/↓ (and Page Up/Down, Home/End with Ctrl) move, Enter picks,
Ctrl+D stars, Alt+A shows every kind of model, Esc closes. A typed "endpoint / model" that no row
matches is picked as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from playground.history.model_prefs import Key, ModelPrefs
from playground.llm.catalog import ModelEntry, ModelKind, arrange, matches

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
STAR, NAME, CONTEXT, PRICE = range(4)
HEADERS = ("★", "Model", "Context (tokens)", "Price per 1M tokens: in / out")  # units once, not per cell
_MOVES = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 10,
    Qt.Key.Key_PageUp: -10,
}


class ModelList(QFrame):
    """Emits ``chosen(endpoint, model)`` and ``starToggled(key)``; closes itself after a choice."""

    chosen = Signal(str, str)
    starToggled = Signal(object)  # Key

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Choose a model")
        self._entries: list[ModelEntry] = []
        self._prefs = ModelPrefs()
        self._rows: list[QModelIndex] = []  # the choosable rows, top to bottom
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter: endpoint or model name")
        self.filter.setAccessibleName("Filter models")
        self.filter.setClearButtonEnabled(True)
        self.show_all = QCheckBox("Show &all models")
        self.show_all.setToolTip("Also list embedding, image, audio, moderation and other non-chat models")
        self.model = QStandardItemModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Models")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemsExpandable(False)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the filter line
        self.empty = QLabel("No model matches. Type “endpoint / model” and press Enter to use it as typed.")
        self.empty.setWordWrap(True)
        self.empty.hide()
        hint = QLabel("↑↓ move · Enter picks · Ctrl+D stars · Esc closes")
        hint.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(hint)
        self.filter.textChanged.connect(lambda: self._filter())
        self.show_all.toggled.connect(self.refresh)
        self.view.clicked.connect(self._clicked)
        self.filter.installEventFilter(self)
        self.resize(680, 460)

    # data

    def set_entries(self, entries: Sequence[ModelEntry]) -> None:
        self._entries = list(entries)
        self.refresh()

    def set_prefs(self, prefs: ModelPrefs) -> None:
        self._prefs = prefs
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows (new models, stars or "show all"), keeping the highlighted model."""
        keep = self.current_key()
        keep_group = self.view.currentIndex().parent().data()
        groups = arrange(
            self._entries, self._prefs.favourites, self._prefs.recents, show_all=self.show_all.isChecked()
        )
        self.model.clear()
        self.model.setHorizontalHeaderLabels(HEADERS)
        bold = QFont()
        bold.setBold(True)
        for group in groups:
            pinned = group.title in ("★ Favourites", "Recent")
            heading = QStandardItem(group.title)
            heading.setFont(bold)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            heading.setAccessibleText(f"{group.title}: {len(group.entries)} models")
            self.model.appendRow(heading)
            for entry in group.entries:
                heading.appendRow(self._row(entry, pinned))
        self.view.expandAll()
        for r in range(self.model.rowCount()):
            self.view.setFirstColumnSpanned(r, QModelIndex(), True)
        # Sized once per rebuild, not per keystroke (sizing to contents measures every row).
        header = self.view.header()
        header.setStretchLastSection(False)
        for column in (STAR, CONTEXT, PRICE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.view.resizeColumnToContents(column)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self._filter(keep, keep_group)

    def _filter(self, keep: Key | None = None, keep_group: str | None = None) -> None:
        """Hide the rows the filter text does not match (a keystroke rebuilds nothing)."""
        if keep is None:
            keep, keep_group = self.current_key(), self.view.currentIndex().parent().data()
        query = self.filter.text()
        self._rows = []
        for r in range(self.model.rowCount()):
            parent = self.model.index(r, 0)
            shown = 0
            for c in range(self.model.rowCount(parent)):
                hide = not matches(self.model.index(c, 0, parent).data(ENTRY_ROLE), query)
                self.view.setRowHidden(c, parent, hide)
                if not hide:
                    shown += 1
                    self._rows.append(self.model.index(c, NAME, parent))
            self.view.setRowHidden(r, QModelIndex(), not shown)
        self.empty.setVisible(not self._rows)
        self._highlight(keep, keep_group)

    def _row(self, entry: ModelEntry, pinned: bool) -> list[QStandardItem]:
        star = "★" if self._prefs.is_favourite(entry.key) else "☆"
        name = entry.label if pinned else entry.model
        if entry.kind is not ModelKind.CHAT:
            name += f"  ({entry.kind.value})"
        texts = (
            star,
            name,
            entry.context_text().removesuffix(" context"),
            entry.price_text().removesuffix(" per 1M"),
        )
        items = [QStandardItem(t) for t in texts]
        items[STAR].setToolTip("Star or unstar (Ctrl+D)")
        items[STAR].setAccessibleText(f"{'favourite' if star == '★' else 'not a favourite'}")
        window = entry.facts.context_window if entry.facts else None
        items[CONTEXT].setToolTip(f"{window:,} tokens" if window else "Context window unknown")
        items[PRICE].setToolTip(entry.facts.source if entry.facts else "No price known for this model")
        for item in items:
            item.setData(entry.key, KEY_ROLE)
            item.setData(entry, ENTRY_ROLE)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return items

    # showing and choosing

    def open_below(self, anchor: QWidget, current: Key | None) -> None:
        self.filter.clear()
        self._highlight(current)
        where = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = QGuiApplication.screenAt(where) or QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            where.setX(max(free.left(), min(where.x(), free.right() - self.width())))
            where.setY(max(free.top(), min(where.y(), free.bottom() - self.height())))
        self.move(where)
        self.show()  # a popup: it takes the keyboard and closes on a click outside
        self.filter.setFocus()

    def current_key(self) -> Key | None:
        key = self.view.currentIndex().data(KEY_ROLE)
        return (key[0], key[1]) if key else None

    def rows(self) -> list[Key]:
        """The choosable rows' models, top to bottom (favourites and recents first)."""
        return [(i.data(KEY_ROLE)[0], i.data(KEY_ROLE)[1]) for i in self._rows]

    def row_entry(self, n: int) -> ModelEntry:
        entry: ModelEntry = self._rows[n].data(ENTRY_ROLE)
        return entry

    def row_texts(self, n: int) -> tuple[str, ...]:
        index = self._rows[n]
        return tuple(index.siblingAtColumn(c).data() for c in range(len(HEADERS)))

    def choose_current(self) -> None:
        key = self.current_key()
        if key is None:
            key = _typed(self.filter.text())
        if key is not None:
            self.hide()
            self.chosen.emit(*key)

    def toggle_star(self) -> None:
        key = self.current_key()
        if key is not None:
            self.starToggled.emit(key)

    def _highlight(self, key: Key | None, group: str | None = None) -> None:
        """Highlight ``key`` (in ``group`` if it shows there, as after starring), else the first row."""
        found = [i for i in self._rows if key and tuple(i.data(KEY_ROLE)) == key]
        same = [i for i in found if i.parent().data() == group]
        candidates = same or found or self._rows
        if not candidates:
            self.view.setCurrentIndex(QModelIndex())
            return
        target = candidates[0]
        self.view.setCurrentIndex(target)
        self.view.scrollTo(target)

    def _move(self, step: int) -> None:
        if not self._rows:
            return
        current = self.view.currentIndex()
        at = self._rows.index(current) + step if current in self._rows else 0
        target = self._rows[max(0, min(len(self._rows) - 1, at))]
        self.view.setCurrentIndex(target)
        self.view.scrollTo(target)

    def _clicked(self, index: QModelIndex) -> None:
        if not index.data(KEY_ROLE):
            return
        self.view.setCurrentIndex(index.siblingAtColumn(NAME))
        if index.column() == STAR:
            self.toggle_star()
        else:
            self.choose_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in _MOVES:
            self._move(_MOVES[Qt.Key(key)])
        elif ctrl and key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self._move(-len(self._rows) if key == Qt.Key.Key_Home else len(self._rows))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose_current()
        elif key == Qt.Key.Key_Escape:
            self.hide()
        elif ctrl and key == Qt.Key.Key_D:
            self.toggle_star()
        elif mods & Qt.KeyboardModifier.AltModifier and key == Qt.Key.Key_A:
            self.show_all.toggle()  # the check box's mnemonic, also when the popup is not the active window
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)


def _typed(text: str) -> Key | None:
    """ "endpoint / model" typed by hand (a model no listing has)."""
    endpoint, sep, model = text.partition("/")
    if sep and endpoint.strip() and model.strip():
        return (endpoint.strip(), model.strip())
    return None
