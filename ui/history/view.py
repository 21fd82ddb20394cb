"""History: every call, filtered and searched, opened in full, reopened, re-run, tagged or deleted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.history.filters import Filters
from playground.history.records import CallRecord
from ui.common.background import Latest
from ui.history.call_detail import CallDetail
from ui.history.model import HistoryModel

SEARCH_DEBOUNCE_MS = 250
ALL = {"endpoint": "all endpoints", "model": "all models", "status": "all statuses", "tag": "all tags"}


class HistoryView(QWidget):
    reopenRequested = Signal(object)  # a call row
    rerunRequested = Signal(object)
    conversationRequested = Signal(object)  # a call row: open its whole conversation

    def __init__(self, background=None, parent=None):
        super().__init__(parent)
        self._store = None
        self._background = background
        self._choices = Latest(background) if background is not None else None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search prompts and answers…")
        self.search.setAccessibleName("Search history")
        self.since = QLineEdit()
        self.since.setPlaceholderText("from YYYY-MM-DD")
        self.since.setAccessibleName("From date")
        self.until = QLineEdit()
        self.until.setPlaceholderText("to YYYY-MM-DD")
        self.until.setAccessibleName("To date")
        for w in (self.since, self.until):
            w.setFixedWidth(120)
        self.endpoint, self.model, self.status, self.tag = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        self.group = QComboBox()
        self.group.setAccessibleName("Comparison filter")
        self.group.setToolTip("Show the calls of one comparison")
        self.group.setMinimumWidth(150)
        for combo, name in (
            (self.endpoint, "Endpoint"),
            (self.model, "Model"),
            (self.status, "Status"),
            (self.tag, "Tag"),
        ):
            combo.setAccessibleName(f"{name} filter")
            combo.setToolTip(name)
            combo.setMinimumWidth(110)
        self.table = QTableView()
        self.model_ = HistoryModel(background, self)
        self.model_.loaded.connect(self._loaded)
        self.model_.failed.connect(self._read_failed)
        self.table.setModel(self.model_)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Calls")
        self.detail = CallDetail()
        self.reopen_button = QPushButton("Reopen in editor")
        self.rerun_button = QPushButton("Re-run")
        self.tag_button = QPushButton("Tag…")
        self.delete_button = QPushButton("Delete…")
        self.whatif_button = QPushButton("What if…")
        self.whatif_button.setToolTip(
            "Re-price the selected calls (or all shown) at today's prices or on another model"
        )
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the calls these filters show as JSON or CSV")
        self.empty = QLabel("No calls yet: every run, from the window or the command line, lands here.")
        self.whatif_result = QLabel()
        self.whatif_result.setTextFormat(Qt.TextFormat.PlainText)  # names files and errors
        self.whatif_result.setWordWrap(True)
        self.whatif_result.setAccessibleName("What-if and export result")
        filters = QVBoxLayout()
        filters.addWidget(self.search)
        narrow = QHBoxLayout()
        for w in (self.since, self.until, self.endpoint, self.model, self.status, self.tag, self.group):
            narrow.addWidget(w)
        narrow.addStretch(1)
        filters.addLayout(narrow)
        actions = QHBoxLayout()
        for w in (self.reopen_button, self.rerun_button, self.tag_button, self.delete_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.whatif_button)
        actions.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.whatif_result)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        for w in (self.search, self.since, self.until):
            w.textChanged.connect(self._debounce.start)
        for combo in (self.endpoint, self.model, self.status, self.tag, self.group):
            combo.currentIndexChanged.connect(self._debounce.start)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.reopen_button.clicked.connect(lambda: self._one(self.reopenRequested.emit))
        self.rerun_button.clicked.connect(lambda: self._one(self.rerunRequested.emit))
        self.tag_button.clicked.connect(self.tag_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.whatif_button.clicked.connect(self.ask_what_if)
        self.export_button.clicked.connect(self.export)
        self._core = None
        self.current_model = lambda: None  # the main window passes its picker's choice
        self.conversation_button = QPushButton("Open conversation in Playground")
        self.conversation_button.setToolTip("Every turn of this call's conversation, on the branch it ended")
        self.conversation_button.clicked.connect(lambda: self._one(self.conversationRequested.emit))
        actions.insertWidget(2, self.conversation_button)
        self._update_buttons()

    def set_core(self, core) -> None:
        self._core = core
        self._store = core.history
        self.reload_choices()
        self.refresh()

    def reload_choices(self) -> None:
        """Read the filter menus' values in the background, then fill the menus."""
        store = self._store
        if store is None or self._choices is None:
            return

        def work() -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
            return {column: store.distinct(column) for column in ALL}, store.recent_groups(100)

        self._choices.submit(work, lambda found: self._fill_choices(*found))

    def _fill_choices(self, values: dict[str, list[str]], groups: list[dict[str, Any]]) -> None:
        for combo, column in (
            (self.endpoint, "endpoint"),
            (self.model, "model"),
            (self.status, "status"),
            (self.tag, "tag"),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL[column])
            combo.addItems(values[column])
            combo.setCurrentText(current if current else ALL[column])
            combo.blockSignals(False)
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("all calls", None)
        for g in groups:
            when = (g["started_at"] or "")[:16].replace("T", " ")
            self.group.addItem(f"comparison {when} ({g['calls']} calls)", g["group_id"])
        index = self.group.findData(current) if current else 0
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)

    def filters(self) -> Filters:
        def pick(combo: QComboBox) -> str | None:
            return combo.currentText() if combo.currentIndex() > 0 else None

        return Filters(
            since=self.since.text().strip() or None,
            until=self.until.text().strip() or None,
            endpoint=pick(self.endpoint),
            model=pick(self.model),
            status=pick(self.status),
            tag=pick(self.tag),
            group_id=self.group.currentData(),
            search=self.search.text().strip() or None,
            zone=self._core.general.zone_name() if self._core is not None else "UTC",  # local days
        )

    def refresh(self) -> None:
        """Show the calls the filters pick (read in the background; ``_loaded`` when they arrive)."""
        self.model_.set_source(self._store, self.filters())

    def _read_failed(self, why: str) -> None:
        self.empty.setText(f"Could not read the history: {why}")

    def _loaded(self) -> None:
        self.empty.setVisible(self._store is not None and self.model_.rowCount() == 0)
        if self.model_.rowCount() and self.filters() != Filters():
            self.empty.setText("")
        elif self.filters() != Filters():
            self.empty.setText("No calls match these filters.")
        self.detail.show_row(None)
        self._update_buttons()

    def selected_rows(self) -> list[CallRecord]:
        return [self.model_.row(i.row()) for i in self.table.selectionModel().selectedRows()]

    def _selected(self) -> None:
        rows = self.selected_rows()
        self.detail.show_row(rows[0] if len(rows) == 1 else None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.selected_rows()) if self.table.selectionModel() else 0
        self.reopen_button.setEnabled(count == 1)
        self.rerun_button.setEnabled(count == 1)
        self.conversation_button.setEnabled(count == 1)
        self.tag_button.setEnabled(count >= 1)
        self.delete_button.setEnabled(count >= 1)

    def _one(self, emit) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            emit(rows[0])

    def tag_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        tag, ok = QInputDialog.getText(
            self, "Tag", "Tag for the selected calls (empty removes it):", text=rows[0].tag or ""
        )
        if ok:
            store, ids, value = self._store, [r.id for r in rows], tag.strip() or None

            def work() -> None:
                for call_id in ids:
                    store.set_tag(call_id, value)

            self._changed(work)

    def _changed(self, work) -> None:
        """Make a change in the background, then reload what is shown."""

        def done(_: Any) -> None:
            self.reload_choices()
            self.refresh()

        self._background.submit(work, done, lambda exc: self.whatif_result.setText(f"Not changed: {exc}"))

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or not self.confirm_delete(len(rows)):
            return
        store, ids = self._store, [r.id for r in rows]
        self._changed(lambda: store.delete(ids))

    def confirm_delete(self, count: int) -> bool:
        answer = QMessageBox.question(
            self,
            "Delete",
            f"Delete {count} call{'s' if count > 1 else ''} from history? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    # what-if and export

    def what_if_rows(self) -> Any:
        """Work that returns the selected calls, or every call the filters show (up to the what-if
        limit): run it in the background."""
        selected = self.selected_rows()
        if selected:
            return lambda: selected
        store, filters = self._store, self.filters()
        return lambda: _all_rows(store, filters)

    def ask_what_if(self) -> None:
        current = self.current_model()
        suggestion = f"{current[0]} / {current[1]}" if current else ""
        text, ok = QInputDialog.getText(
            self,
            "What if",
            "Price these calls as if they ran on (endpoint / model; empty: today's prices):",
            text=suggestion,
        )
        if ok:
            self.run_what_if(text)

    def run_what_if(self, text: str) -> None:
        from playground.spend.whatif import reprice

        endpoint, sep, model = text.partition("/")
        target = (endpoint.strip(), model.strip()) if sep and model.strip() else None
        rows = self.what_if_rows()
        core = self._core
        self.whatif_button.setEnabled(False)
        self.whatif_result.setText("Re-pricing…")

        def done(result) -> None:
            self.whatif_button.setEnabled(True)
            self.whatif_result.setText(result.describe())

        def failed(exc: BaseException) -> None:
            self.whatif_button.setEnabled(True)
            self.whatif_result.setText(f"Could not re-price: {exc}")

        self._background.submit(
            lambda: reprice(rows(), core.pricer, core.config.endpoint, target), done, failed
        )

    def export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from playground.history.transfer import export_rows, to_csv, to_json

        path, chosen = QFileDialog.getSaveFileName(
            self, "Export history", "history.json", "JSON (*.json);;CSV (*.csv)"
        )
        if not path:
            return
        storage, filters = self._core.storage, self.filters()
        as_csv = path.endswith(".csv") or "CSV" in chosen

        def work() -> int:
            rows = export_rows(storage, filters=filters)
            text = to_csv(rows) if as_csv else to_json(rows)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            return len(rows)

        self.whatif_result.setText("Exporting…")
        self._background.submit(
            work,
            lambda count: self.whatif_result.setText(f"{count:,} calls exported to {path}"),
            lambda exc: self.whatif_result.setText(f"Could not export: {exc}"),
        )


def _all_rows(store, filters: Filters) -> list[CallRecord]:
    """Every call the filters show, up to the what-if limit, read page by page."""
    from playground.spend.whatif import MAX_CALLS

    rows: list[CallRecord] = []
    after = None
    while len(rows) < MAX_CALLS:
        page = store.page(filters, after=after, limit=2000)
        rows += page
        if len(page) < 2000:
            break
        after = page[-1].cursor
    return rows[:MAX_CALLS]
