"""The Spend page's cards: the chosen range's spend, calls, errors, tokens, cache, average, projected
month end and budget, each a title over a value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from playground.spend.export import card_lines
from playground.spend.overview import RangeCards
from ui.spend.cache_card import TITLE as CACHE_TITLE

TITLES = (
    "Spend",
    "Calls",
    "Error rate",
    "Tokens in / out",
    "Cached input",
    CACHE_TITLE,
    "Average per call",
    "Month end (projected)",
    "Budget",
)
BUDGET_COLORS = {"is over": "#d62728", "could cross": "#e67e00"}


def card_row() -> tuple[QHBoxLayout, dict[str, QLabel]]:
    """The row of cards and each card's value label, by title."""
    labels: dict[str, QLabel] = {}
    row = QHBoxLayout()
    for title in TITLES:
        label = QLabel("–")
        label.setAccessibleName(title)
        # Wrapped, so a long budget or spend line takes a second line instead of widening the
        # window past a 1280-pixel screen.
        label.setWordWrap(True)
        # Two lines kept from the start: a card going from one line to two re-laid the page and
        # repainted all six charts in one frame (70-80 ms of GUI time on the first open).
        label.setMinimumHeight(2 * label.fontMetrics().lineSpacing())
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        labels[title] = label
        box = QVBoxLayout()
        box.addWidget(QLabel(f"<small>{title}</small>"))
        box.addWidget(label, 1)
        row.addLayout(box)
    return row, labels


ESTIMATED_TIP = (
    "Stopped or cut calls are costed from the tokens we counted, not from the provider's usage: "
    "{part} of this figure is that estimate."
)


def show_cards(labels: dict[str, QLabel], cards: RangeCards) -> None:
    """The range's figures in their cards; the spend's estimated part on a line of its own; the
    budget in red when over, amber when it could cross; how the month's end is projected in its tip."""
    for title, text in card_lines(cards):
        labels[title].setText(text)
    spend, part = cards.spend, cards.spend.estimated_text()
    label = labels["Spend"]
    label.setText(
        f"<b>{spend.text(note=False)}</b>" + (f"<br><small>{part} of it estimated</small>" if part else "")
    )
    label.setToolTip(ESTIMATED_TIP.format(part=part) if part else "")
    labels["Month end (projected)"].setToolTip(cards.pace.note())
    color = BUDGET_COLORS.get(str(cards.budget_state))
    budget = labels["Budget"]
    budget.setText(f"<span style='color:{color}'>{budget.text()}</span>" if color else budget.text())
