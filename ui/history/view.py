"""History: every call, filtered and searched, opened in full, reopened, re-run, tagged or deleted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.history.filters import Filters
from playground.history.records import CallRecord
from ui.common.ask import confirmed
from ui.common.background import Latest
from ui.common.heap import settle
from ui.history.cache_figures import CacheTotalsLine, cache_filter
from ui.history.call_detail import CallDetail
from ui.history.call_table import CallTable
from ui.history.date_range import DateRange
from ui.history.job_bar import JobBar
from ui.history.model import HistoryModel
from ui.history.prompt_link import PromptLinks
from ui.history.totals import TotalsLine
from ui.history.view_jobs import HistoryJobs

SEARCH_DEBOUNCE_MS = 250
ALL = {"endpoint": "all endpoints", "model": "all models", "status": "all statuses", "tag": "all tags"}


NO_CALLS = "No calls yet: every run, from the window or the command line, lands here."


class HistoryView(HistoryJobs):
    reopenRequested = Signal(object)  # a call row
    rerunRequested = Signal(object)
    conversationRequested = Signal(object)  # a call row: open its whole conversation
    planRequested = Signal(object)  # a PlanSeed measured from the calls the filters show

    def __init__(self, background=None, parent=None):
        super().__init__(parent)
        self._store = None
        self._core = None
        self._background = background
        self._choices = Latest(background) if background is not None else None
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search prompts and answers…")
        self.search.setAccessibleName("Search history")
        self.dates = DateRange(self._today)
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
        self.table = CallTable()
        self.model_ = HistoryModel(background, self)
        self.model_.loaded.connect(self._loaded)
        self.model_.failed.connect(self._read_failed)
        self.table.setModel(self.model_)
        # lay out a scrolled page's new rows at once, not from Qt's delayed-layout call (CallTable
        # then only updates the scroll range: the rows on screen did not change)
        self.model_.rowsInserted.connect(self.table.executeDelayedItemsLayout)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        # a scrolled page paints within a frame: one line per row, fixed heights, no text wrapping
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        for column, sample in ((0, "2026-12-31 23:59:59"), (2, "claude-sonnet-4-6"), (4, "12,345 → 12,345")):
            self.table.setColumnWidth(column, self.table.fontMetrics().horizontalAdvance(sample) + 16)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Calls")
        # always there, so a search whose answer outgrows the screen does not narrow the cells (and
        # repaint them all a second time)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.totals = TotalsLine(background)
        self.cache_totals = CacheTotalsLine(background)
        self.prompt_links = PromptLinks(background)
        self.uses_cache = cache_filter()
        self.detail = CallDetail()
        self.reopen_button = QPushButton("Reopen in editor")
        self.rerun_button = QPushButton("Re-run")
        self.tag_button = QPushButton("Tag…")
        self.delete_button = QPushButton("Delete…")
        self.whatif_button = QPushButton("What if…")
        self.whatif_button.setToolTip(
            "Re-price the selected calls (or all shown) at today's prices or on another model"
        )
        self.plan_button = QPushButton("Plan from these calls…")
        self.plan_button.setToolTip("A monthly cost plan at the rate and token sizes of the calls shown")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the calls these filters show as JSON or CSV")
        self.empty = QLabel(NO_CALLS)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No calls")
        self.job = JobBar()
        self.job.busyChanged.connect(lambda busy: self._update_buttons())
        self.not_recorded = QLabel("")  # a read-only history: why Tag and Delete are off
        self.not_recorded.setWordWrap(True)
        self.not_recorded.setAccessibleName("Calls cannot be changed")
        self.not_recorded.hide()
        self.whatif_result = self.job.result
        filters = QVBoxLayout()
        filters.addWidget(self.search)
        narrow = QHBoxLayout()
        for w in (self.dates, self.endpoint, self.model, self.status, self.tag, self.group, self.uses_cache):
            narrow.addWidget(w)
        narrow.addStretch(1)
        filters.addLayout(narrow)
        actions = QHBoxLayout()
        for w in (self.reopen_button, self.rerun_button, self.tag_button, self.delete_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.whatif_button)
        actions.addWidget(self.plan_button)
        actions.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Vertical)
        table = QWidget()
        under = QVBoxLayout(table)
        under.setContentsMargins(0, 0, 0, 0)
        # the empty message takes the table's place rather than a line above it: showing or hiding it
        # then never resizes the table, which would repaint every cell once more
        self.rows_or_empty = QStackedWidget()
        self.rows_or_empty.addWidget(self.table)
        self.rows_or_empty.addWidget(self.empty)
        under.addWidget(self.rows_or_empty, 1)
        under.addWidget(self.totals)
        under.addWidget(self.cache_totals)
        split.addWidget(table)
        split.addWidget(self.detail)
        # Mostly the calls: the detail pane took ~40% of the height and left 12 rows at 1280×800.
        split.setSizes([480, 180])
        split.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        layout.addWidget(self.not_recorded)
        layout.addWidget(self.job)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.dates.changed.connect(self._debounce.start)
        self.uses_cache.toggled.connect(self._debounce.start)
        for combo in (self.endpoint, self.model, self.status, self.tag, self.group):
            combo.currentIndexChanged.connect(self._debounce.start)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.reopen_button.clicked.connect(lambda: self._one(self.reopenRequested.emit))
        self.rerun_button.clicked.connect(lambda: self._one(self.rerunRequested.emit))
        self.tag_button.clicked.connect(self.tag_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.whatif_button.clicked.connect(self.ask_what_if)
        self.plan_button.clicked.connect(self.plan_calls)
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
        why = core.not_recorded
        if why:
            self.not_recorded.setText(f"{why} Calls can be read and exported, not tagged or deleted.")
        self.not_recorded.setVisible(bool(why))
        for button in (self.tag_button, self.delete_button):
            button.setToolTip(why or "")
        self._update_buttons()
        settle()  # the core has loaded: keep what it holds out of full collections (ui/common/heap.py)
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

        days = self.dates.days()
        return Filters(
            since=days[0].isoformat() if days else None,
            until=days[1].isoformat() if days else None,
            endpoint=pick(self.endpoint),
            model=pick(self.model),
            status=pick(self.status),
            tag=pick(self.tag),
            group_id=self.group.currentData(),
            search=self.search.text().lstrip() or None,  # a space after the last word ends it
            zone=self._zone(),  # local days
            uses_cache=self.uses_cache.isChecked(),
        )

    def _zone(self) -> str:
        return self._core.general.zone_name() if self._core is not None else "UTC"  # cached: no SQL

    def _today(self) -> date:
        """Today in the zone the filters use (zoneinfo itself: localtime loads sqlite-utils)."""
        from zoneinfo import ZoneInfo

        try:
            return datetime.now(ZoneInfo(self._zone())).date()
        except (ValueError, KeyError):  # the settings page refuses unknown zones; never crash here
            return date.today()

    def refresh(self) -> None:
        """Show the calls the filters pick (read in the background; ``_loaded`` when they arrive)."""
        filters = self.filters()
        self.model_.set_source(self._store, filters)
        self.totals.show_for(self._store, filters)
        self.cache_totals.show_for(self._core, filters)

    def _read_failed(self, why: str) -> None:
        self.empty.setText(f"Could not read the history: {why}")
        self.rows_or_empty.setCurrentWidget(self.empty)

    def _loaded(self) -> None:
        empty = self._store is not None and self.model_.rowCount() == 0
        self.rows_or_empty.setCurrentWidget(self.empty if empty else self.table)
        if empty:
            self.empty.setText("No calls match these filters." if self.filters() != Filters() else NO_CALLS)
        self.detail.show_row(None)
        self._update_buttons()

    def selected_rows(self) -> list[CallRecord]:
        return [self.model_.row(i.row()) for i in self.table.selectionModel().selectedRows()]

    def _selected(self) -> None:
        rows = self.selected_rows()
        self.detail.show_row(rows[0] if len(rows) == 1 else None)
        if len(rows) == 1:
            self.cache_totals.savings_of(self._core, rows[0], self.detail.show_savings)
            self.prompt_links.link_of(self._core, rows[0], self.detail.show_prompt_link)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.selected_rows()) if self.table.selectionModel() else 0
        self.reopen_button.setEnabled(count == 1)
        self.rerun_button.setEnabled(count == 1)
        self.conversation_button.setEnabled(count == 1)
        core = self._core
        writable = core is not None and not core.not_recorded
        self.tag_button.setEnabled(count >= 1 and writable)
        self.delete_button.setEnabled(count >= 1 and writable)
        # until the core is up there is nothing to re-price, plan or export: off, not silent
        for button in (self.whatif_button, self.plan_button):
            button.setEnabled(core is not None)
        self.export_button.setEnabled(core is not None and not self.job.busy)

    def _one(self, emit) -> None:
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        store, row = self._store, rows[0]
        if store is not None and any(m.get("images") for m in row.messages):
            # List rows hold image references only: the call with its image bytes is read off the GUI thread.
            self._background.submit(lambda: store.get(row.id) or row, emit)
            return
        emit(row)

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
        text = f"Delete {count} call{'s' if count > 1 else ''} from history? This cannot be undone."
        return confirmed(self, "Delete", text)
