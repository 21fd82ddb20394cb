"""The providers' own bills beside the calls recorded here, for the Spend range (UTC days).

All work (imports, file reads, queries) runs on the Background pool; progress comes back through a
queued signal. Once imported, the table needs no network.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground import formatting
from playground.bills.report import COLUMNS, covered_text, report_section, row_cells, totals, uncovered_text
from ui.common.background import Background, Latest

UTC_NOTE = (
    "Days here are UTC days, as the providers bill them, so a call late in your evening may sit on "
    "the next day. Import the bill for the range shown; it stays available offline."
)


class BillsPanel(QWidget):
    """Billed / recorded / difference per day (or per model) for the range the Spend view sets."""

    _progressed = Signal(object)  # playground.bills.importer.Progress, from the import's thread

    def __init__(self, background: Background, parent: QWidget | None = None):
        super().__init__(parent)
        self._background = background
        self._latest = Latest(background)
        self._shown: tuple[list[Any], list[Any]] | None = None  # redrawn in a new palette's colours
        self._core: Any = None
        self._bills: Any = None
        self._stale = False  # a read asked for while hidden: done when the panel shows
        self._cancel: threading.Event | None = None
        today = date.today()
        self.first, self.last = today - timedelta(days=29), today
        self.base_urls: dict[str, str | None] = {"openai": None, "anthropic": None}  # tests point these

        self.import_openai = QPushButton("Import from OpenAI…")
        self.import_anthropic = QPushButton("Import from Anthropic…")
        self.import_file = QPushButton("Import console CSV…")
        self.cancel = QPushButton("Cancel import")
        self.by = QComboBox()
        self.by.addItems(["Per day", "Per model"])
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fetched = QLabel("Reading…")  # until the first read says what was imported
        self.totals = QLabel("")
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.totals.font()
        bold.setBold(True)
        self.totals.setFont(bold)
        self.uncovered = QLabel("")
        self.uncovered.setWordWrap(True)
        self.unbilled = QCheckBox("Show rows with no bill")
        self.unbilled.setToolTip(
            "Also list the days and models with calls recorded here but no bill imported: their"
            " difference is unknown until the bill for those days is imported"
        )
        note = QLabel(UTC_NOTE)
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for i in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        for widget, name in (
            (self.import_openai, "Import the OpenAI bill for this range"),
            (self.import_anthropic, "Import the Anthropic bill for this range"),
            (self.import_file, "Import a console cost export (CSV)"),
            (self.cancel, "Cancel the import"),
            (self.by, "Rows per"),
            (self.progress, "Import progress"),
            (self.table, "Billed, recorded here and the difference"),
            (self.status, "Import status"),
            (self.fetched, "Last fetched"),
            (self.totals, "Totals for the range"),
            (self.uncovered, "Rows with no bill"),
        ):
            widget.setAccessibleName(name)

        buttons = QHBoxLayout()
        for button in (self.import_openai, self.import_anthropic, self.import_file):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.unbilled)
        buttons.addWidget(QLabel("Rows"))
        buttons.addWidget(self.by)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.fetched)
        layout.addWidget(note)
        layout.addWidget(self.totals)
        layout.addWidget(self.uncovered)
        layout.addWidget(self.table, 1)
        self._busy(False)
        self.status.hide()

        self.import_openai.clicked.connect(lambda: self.start_import("openai"))
        self.import_anthropic.clicked.connect(lambda: self.start_import("anthropic"))
        self.import_file.clicked.connect(self._choose_file)
        self.cancel.clicked.connect(self.cancel_import)
        self.by.currentIndexChanged.connect(lambda _: self.refresh())
        self.unbilled.toggled.connect(lambda _: self._shown is not None and self._show(self._shown))
        self._progressed.connect(self._show_progress)

    # --- wiring ---------------------------------------------------------------------------------

    def set_core(self, core: Any) -> None:
        self._core = core
        why = core.not_recorded
        for button in (self.import_openai, self.import_anthropic, self.import_file):
            button.setToolTip(f"{why} Imported bills cannot be kept either." if why else "")
        self._busy(False)
        self.refresh()

    def report_section(self, first: date, last: date) -> tuple[str, str]:
        """The monthly report's reconciliation section (called on the background pool)."""
        return report_section(self._service(), first, last)

    def set_range(self, first: date, last: date) -> None:
        """Follow the Spend range (its days are taken as UTC days here; the note says so)."""
        self.first, self.last = first, last
        self.refresh()

    def _service(self) -> Any:
        """The bills service, built on first use (on a background thread: it imports the package)."""
        if self._bills is None:
            from playground.bills.service import Bills

            self._bills = Bills(self._core.storage, self._core.keys)
        return self._bills

    # --- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the rows again, once the panel is seen: hidden behind "Recorded here" (most of the
        time), a read on each range the charts drew held the GIL for ~100 ms of pool time while the
        charts were drawn (bench/first_spend.py)."""
        if self._core is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        first, last, by = self.first, self.last, "model" if self.by.currentIndex() else "day"

        def work() -> tuple[list[Any], list[Any]]:
            bills = self._service()
            return bills.rows(first, last, by), bills.imports()

        self._latest.submit(work, self._show, self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:  # what is shown is another range's (or nothing yet): not shown meanwhile
            self._shown = None
            self.table.setRowCount(0)
            self.totals.setText(f"Reading the bill for {self.first} to {self.last}…")
            self.uncovered.hide()
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self._show(self._shown)  # "unknown" is muted in the palette's own placeholder colour

    def _show(self, result: tuple[list[Any], list[Any]]) -> None:
        """The totals over every row; the table newest day first, rows with no bill only when asked
        (a year of calls before the first import buried the billed days)."""
        self._shown = result
        every, imports = result
        shown = every if self.unbilled.isChecked() else [r for r in every if r.billed is not None]
        hidden = " Tick “Show rows with no bill” to list them." if len(shown) < len(every) else ""
        sums = totals(every)
        self.totals.setText(covered_text(sums))
        self.uncovered.setText(uncovered_text(sums) + hidden)
        self.uncovered.setVisible(bool(self.uncovered.text()))
        rows = sorted(shown, key=lambda r: r.day or "", reverse=True)  # stable: provider, model kept
        self.table.setColumnHidden(0, bool(every) and every[0].day is None)  # per model: no day
        self.table.setRowCount(len(rows))
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for i, r in enumerate(rows):
            cells = row_cells(r)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 3 <= j <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if text == "unknown":
                    item.setForeground(QColor(muted))
                self.table.setItem(i, j, item)
        if imports:
            last = imports[0]
            what = f"file {last.file_name}" if last.source == "csv" else f"{last.provider} admin API"
            state = "" if last.status == "done" else f" ({last.status}: import again to resume)"
            self.fetched.setText(
                f"Last fetched {last.fetched_at.replace('T', ' ')[:16]} UTC from {what},"
                f" {last.first_day} to {last.last_day}{state}."
            )
        else:
            self.fetched.setText("No bill imported yet.")

    # --- importing -------------------------------------------------------------------------------

    def start_import(self, provider: str) -> None:
        if self._core is None or self._cancel is not None:
            return
        from playground.bills.model import Provider

        cancel = threading.Event()
        self._cancel = cancel
        first, last, base_url = self.first, self.last, self.base_urls.get(provider)
        self._busy(True)
        self._say(f"Importing the {Provider(provider).label} bill, {first} to {last}…")

        def work() -> Any:
            return self._service().import_api(
                Provider(provider),
                first,
                last,
                base_url=base_url,
                progress=self._progressed.emit,
                cancel=cancel,
            )

        self._background.submit(work, self._imported, self._import_failed)

    def import_csv(self, path: Path) -> None:
        if self._core is None or self._cancel is not None:
            return
        self._cancel = threading.Event()
        self._busy(True)
        self._say(f"Reading {path.name}…")
        self._background.submit(lambda: self._service().import_csv(path), self._imported, self._import_failed)

    def cancel_import(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self._say("Cancelling after the current page…")

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import console CSV", "", "CSV files (*.csv);;All files (*)"
        )
        if name:
            self.import_csv(Path(name))

    def _show_progress(self, progress: Any) -> None:
        self.progress.setValue(round(progress.fraction * 100))
        self._say(f"Importing {progress.kind}: stored through {progress.done_through}…")

    def _imported(self, result: Any) -> None:
        self._done()
        if hasattr(result, "total"):
            self._say(
                f"Imported {result.rows} rows, {result.first_day} to {result.last_day}"
                f" ({formatting.usd(result.total)})."
            )
        else:
            self._say("Imported" + (" (resumed where it stopped)." if result.resumed else "."))
        self.refresh()

    def _import_failed(self, exc: BaseException) -> None:
        self._done()
        from playground.bills.model import BillsError

        known = isinstance(exc, BillsError)
        self._say(str(exc) if known else f"The import failed: {type(exc).__name__}: {exc}")
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._say(f"Could not read the bills: {exc}")

    def _say(self, text: str) -> None:
        """The import's status line, hidden while it has nothing to say (it left a blank line)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _done(self) -> None:
        self._cancel = None
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        writable = self._core is not None and not self._core.not_recorded
        for button in (self.import_openai, self.import_anthropic, self.import_file):
            button.setEnabled(not busy and writable)
        self.cancel.setEnabled(busy)
        self.cancel.setVisible(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)
