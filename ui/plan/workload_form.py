"""The workload's fields as text boxes: exact numbers (a saved 0.125 stays 0.125), shares in percent,
and a one-line explanation on each. ``workload()`` reads them through the file reader, so a bad field
gets the same check as a bad file, said with the box's label ("Input tokens, typical (p50)", not
"input_tokens.p50")."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from playground.plan.workload import MAX_RATE, Workload, WorkloadError, from_data

PER_DAY, PER_MONTH = "per day", "per month"
SIZES = (  # (field, label, explanation)
    ("input_tokens", "Input tokens", "Prompt tokens per request: the median (p50) and the 95th percentile"),
    ("output_tokens", "Output tokens", "Answer tokens per request, without reasoning: p50 and p95"),
    ("reasoning_tokens", "Reasoning tokens", "Hidden thinking tokens a reasoning model bills as output"),
)
SHARES = (  # (field, label, explanation): shown in percent
    (
        "cacheable_share",
        "Shared prefix %",
        "The share of the input every request repeats (system prompt, docs)",
    ),
    ("cache_hit_rate", "Cache hit rate %", "The share of requests that find that prefix already cached"),
    ("batch_share", "Batch share %", "The share of requests that can wait hours for a batch API's discount"),
    ("retry_rate", "Retry rate %", "Extra billed attempts per request (errors, timeouts, regenerations)"),
    ("growth_per_month", "Growth / month %", "How much the request rate grows each month (for month 12)"),
)
BOUNDED = ("cacheable_share", "cache_hit_rate", "batch_share")  # shares of a whole: 0 to 100 %
HEADS = (  # (column head, its tooltip) over the three size boxes
    ("typical (p50)", "The median tokens per request: half the requests are smaller"),
    ("high (p95)", "The 95th percentile: 1 request in 20 is larger (empty: the same as p50)"),
    (
        "average",
        "The average tokens per request, filled when planning from History or a comparison. The bill "
        "uses it; empty: the bill uses p50, which a long tail makes too low",
    ),
)


def _labels() -> Mapping[str, str]:
    """The file's field names as the boxes are labelled, for the reader's messages."""
    found = {"requests_per_day": "Requests", "requests_per_month": "Requests", "max_tokens": "Max tokens"}
    found |= {key: label.removesuffix(" %") for key, label, _ in SHARES}
    for key, label, _ in SIZES:
        found[key] = found[f"{key}.p50"] = f"{label}, typical (p50)"  # a lone p50 is read as a number
        found[f"{key}.p95"] = f"{label}, high (p95)"
        found[f"{key}.mean"] = f"{label}, average"
    return found


LABELS = _labels()


def _shown(value: Decimal) -> str:
    """Two decimals at most: a share measured from History read "94.1422594142259414225941422"
    and overflowed its box; the plan is then made from what the form shows."""
    return f"{value.quantize(Decimal('0.01')).normalize():f}"


def _percent(value: Decimal) -> str:
    return _shown(value * 100)


class WorkloadForm(QWidget):
    """Emits ``changed`` on every edit; ``workload()`` raises WorkloadError naming the bad field."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = ""
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.requests = self._edit("Requests", "How many requests the workload sends (a month is 30 days)")
        self.unit = QComboBox()
        self.unit.addItems([PER_DAY, PER_MONTH])
        self.unit.setAccessibleName("Requests per day or per month")
        self.unit.setToolTip("Whether the number of requests is per day or per month (30 days)")
        self.unit.currentIndexChanged.connect(lambda _: self.changed.emit())
        layout.addRow("Requests", self._row(self.requests, self.unit))
        self.sizes: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit]] = {}
        heads = []
        for text, tip in HEADS:  # the token boxes only had placeholders
            head = QLabel(text)
            head.setToolTip(tip)
            heads.append(head)
        layout.addRow("", self._row(*heads))
        for key, label, tip in SIZES:
            p50 = self._edit(f"{label}, typical (p50)", tip)
            p95 = self._edit(f"{label}, high (p95)", tip)
            mean = self._edit(f"{label}, average", f"{tip}. {HEADS[2][1]}")
            p50.setPlaceholderText("p50")
            p95.setPlaceholderText("= p50")
            mean.setPlaceholderText("= p50")
            # with no p95 the size is fixed, so its average is p50 too; with one, it is not known
            p95.textChanged.connect(
                lambda text, mean=mean: mean.setPlaceholderText("unknown" if text.strip() else "= p50")
            )
            self.sizes[key] = (p50, p95, mean)
            layout.addRow(label, self._row(p50, p95, mean))
        self.shares: dict[str, QLineEdit] = {}
        for key, label, tip in SHARES:
            self.shares[key] = self._edit(label, tip)
            self.shares[key].setPlaceholderText("0")
            layout.addRow(label, self.shares[key])
        self.max_tokens = self._edit("Max tokens", "The max_tokens you send today (for the cap-at-p95 move)")
        self.max_tokens.setPlaceholderText("not set")
        layout.addRow("Max tokens", self.max_tokens)

    def _edit(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setMinimumWidth(50)
        edit.setAccessibleName(name)
        edit.setToolTip(tip)
        edit.textEdited.connect(lambda _: self.changed.emit())
        return edit

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget, 1)
        return box

    def set_workload(self, w: Workload) -> None:
        """Show ``w``, rounded to two decimals (no signal: the caller recomputes once)."""
        self.name = w.name
        self.unit.blockSignals(True)
        self.unit.setCurrentText(PER_DAY)
        self.unit.blockSignals(False)
        self.requests.setText(_shown(w.requests_per_day))
        for key, tokens in (
            ("input_tokens", w.input),
            ("output_tokens", w.output),
            ("reasoning_tokens", w.reasoning),
        ):
            p50, p95, mean = self.sizes[key]
            p50.setText(str(tokens.p50))
            p95.setText("" if tokens.p95 == tokens.p50 else str(tokens.p95))
            mean.setText("" if tokens.mean is None else str(tokens.mean))
        for key, edit in self.shares.items():
            edit.setText(_percent(getattr(w, key)))
        self.max_tokens.setText("" if w.max_tokens is None else str(w.max_tokens))

    def workload(self) -> Workload:
        data: dict[str, Any] = {"version": 1, "name": self.name}
        unit = "requests_per_day" if self.unit.currentText() == PER_DAY else "requests_per_month"
        if not self.requests.text().strip():  # planned as 0 requests, every figure $0
            raise WorkloadError(f"Requests is empty: how many requests {self.unit.currentText()}?")
        data[unit] = self.requests.text().strip()
        for key, (p50, p95, mean) in self.sizes.items():
            low, high, average = p50.text().strip() or "0", p95.text().strip(), mean.text().strip()
            if average:
                data[key] = {"p50": low, "p95": high or low, "mean": average}
            else:
                data[key] = {"p50": low, "p95": high} if high else low
        for key, label, _ in SHARES:
            data[key] = _share(label, self.shares[key].text(), bounded=key in BOUNDED)
        if self.max_tokens.text().strip():
            data["max_tokens"] = self.max_tokens.text().strip()
        try:
            return from_data(data)
        except WorkloadError as exc:  # said with the box's label, as the reader sees it on screen
            raise WorkloadError(exc.said_as(LABELS), exc.field, exc.problem) from None


def _share(label: str, text: str, bounded: bool) -> Decimal:
    """A percent box as a fraction; the message names the box as the reader sees it."""
    name = label.removesuffix(" %")
    try:
        value = Decimal(text.strip().rstrip("%").strip() or "0")
    except InvalidOperation:
        raise WorkloadError(f"{name} must be a number of percent, not {text!r}") from None
    if not value.is_finite() or (bounded and not 0 <= value <= 100):
        raise WorkloadError(f"{name} must be between 0 and 100 %, not {text!r}")
    if abs(value) > MAX_RATE * 100:
        raise WorkloadError(f"{name} must be at most {MAX_RATE * 100:,} %, not {text!r}")
    return value / 100
