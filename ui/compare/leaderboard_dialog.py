"""Wins per model from blind comparisons, on this machine."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout


class LeaderboardDialog(QDialog):
    def __init__(self, standings: list, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Blind-vote leaderboard")
        self.resize(520, 360)
        self.table = QTableWidget(len(standings), 4)
        self.table.setHorizontalHeaderLabels(["Model", "Wins", "Blind comparisons", "Win rate"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, s in enumerate(standings):
            for col, value in enumerate((s.model, str(s.wins), str(s.contests), f"{s.win_rate:.0%}")):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        empty = QLabel("No votes yet: tick <b>Blind</b>, run a comparison and pick the best answer.")
        empty.setVisible(not standings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
