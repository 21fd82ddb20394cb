"""Spend's saves: a chart as PNG or CSV, the per-model table as CSV, the monthly HTML report. The
user picks the path; the bytes are written on the background pool and the status line says where
they went, or why not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from playground.spend.export import models_csv, monthly_report, series_csv
from playground.spend.snapshot import Snapshot
from ui.common.background import Background
from ui.spend.chart_panel import ChartPanel

ReportSection = Callable[[date, date], tuple[str, str]]  # (first, last day) → (title, HTML), off the GUI


class SpendSaver:
    def __init__(self, parent: QWidget, background: Background, status: QLabel):
        self._parent = parent  # the file dialogs' parent
        self._background = background
        self._status = status

    def _ask_path(self, title: str, name: str, kind: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self._parent, title, name, kind)
        return path

    def _submit(self, path: str, work: Callable[[], Any]) -> None:
        """Run ``work`` off the GUI thread; the status line says where it went, or why not."""
        self._status.setText(f"Saving {Path(path).name}…")
        self._background.submit(
            work,
            lambda _n: self._status.setText(f"Saved {path}"),
            lambda exc: self._status.setText(f"Could not save {path}: {exc}"),
        )

    def _write(self, path: str, data: bytes) -> None:
        self._submit(path, lambda: Path(path).write_bytes(data))

    def chart(self, kind: str, panel: ChartPanel) -> None:
        slug = panel.name.lower().replace(" ", "-").replace("/", "-")
        if kind == "png":
            path = self._ask_path("Save chart", f"{slug}.png", "PNG image (*.png)")
            if path:
                self._write(path, panel.png())
        else:
            path = self._ask_path("Save chart data", f"{slug}.csv", "CSV (*.csv)")
            if path:
                self._write(path, series_csv(panel.series, "value").encode())

    def table_csv(self, rows: list[Any]) -> None:
        path = self._ask_path("Save table", "spend-by-model.csv", "CSV (*.csv)")
        if path:
            self._write(path, models_csv(rows).encode())

    def report(
        self, data: Snapshot, panels: list[ChartPanel], sections: list[ReportSection], core: Any
    ) -> None:
        path = self._ask_path("Save monthly report", f"spend-{data.until:%Y-%m}.html", "HTML (*.html)")
        if not path:
            return
        charts = [(p.title.text().replace("<b>", "").replace("</b>", ""), p.png()) for p in panels]
        title = f"Spend report: {data.until:%B %Y}"
        until, budgets = data.until, data.budgets

        def work() -> None:  # the month's own cards and table, whatever range the charts show
            from playground.spend.overview import Overview, month_days

            first, last = month_days(until)
            overview = Overview(core.reports)
            rows = overview.models(first, until)
            cards = overview.cards(rows, until, budgets, until)
            text = monthly_report(title, cards, rows, charts, [s(first, last) for s in sections])
            Path(path).write_text(text, encoding="utf-8")

        self._submit(path, work)
