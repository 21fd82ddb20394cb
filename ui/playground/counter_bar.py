"""Tokens, context and money: estimates while typing, live while streaming, reported after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout

from playground import formatting
from playground.llm.result import CallResult
from ui.common.stream_hub import Drained
from ui.playground.cache_line import CacheLine

if TYPE_CHECKING:
    from playground.pricing.estimate import Estimate


TOO_LONG_STYLE = "QProgressBar::chunk { background: #d9534f; }"
WIDEST_GAUGE = "100.0% of 1.05M"  # the gauge's longest text (the context share of the window)


def _label(name: str) -> QLabel:
    label = QLabel("–")
    label.setAccessibleName(name)
    label.setToolTip(name)
    return label


class CounterBar(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.input = _label("Input tokens")
        self.gauge = QProgressBar()
        self.gauge.setRange(0, 1000)
        self.gauge.setTextVisible(True)
        # As wide as its longest text, no wider (150 made the window 1283 px wide after a run with
        # logprobs); a narrower bar wrapped its text onto two lines, cut at top and bottom.
        self.gauge.setMinimumWidth(self.gauge.fontMetrics().horizontalAdvance(WIDEST_GAUGE) + 16)
        self.gauge.setMaximumWidth(230)
        self.gauge.setAccessibleName("Context window used")
        self.input_cost = _label("Estimated input cost")
        self.worst = _label("Worst-case cost at max tokens")
        self.output = _label("Output tokens")
        self.cost = _label("Cost of the call")
        self.ttft = _label("Time to first token")
        self.speed = _label("Output tokens per second")
        self.note = _label("Reported usage against the estimate")
        self.cache = CacheLine()
        # Rows: before sending (prompt, context, costs), the run (output, cost, speed), and the provider's
        # report against the estimate on a line of its own (beside the run it wrapped to three lines and
        # widened the column past 1280 px).
        before, run = QHBoxLayout(), QHBoxLayout()
        for row, widgets in (
            (before, (self.input, self.gauge, self.input_cost, self.worst)),
            (run, (self.output, self.cost, self.ttft, self.speed)),
        ):
            row.setSpacing(14)
            for widget in widgets:
                row.addWidget(widget)
        run.addStretch(1)
        self.note.setWordWrap(True)
        # The worst case takes the rest of its row (its max tokens are in its tooltip): on one line
        # where it fits, wrapped only in a narrower window (one line always made the window 1288 px
        # wide; sharing the rest with a stretch, it wrapped to three lines at 1280).
        self.worst.setWordWrap(True)
        before.setStretchFactor(self.worst, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(2)
        layout.addLayout(before)
        layout.addLayout(run)
        layout.addWidget(self.note)
        layout.addWidget(self.cache)
        self._estimate: Estimate | None = None
        self.clear_run()
        self.show_estimate(None)

    def show_estimate(self, estimate: Estimate | None, counting: bool = False) -> None:
        self._estimate = estimate
        self.cache.show_estimate(estimate)
        if estimate is None:
            self.input.setText("Prompt: counting…" if counting else "Prompt: –")
            self.gauge.setValue(0)
            self.gauge.setFormat("context –")
            self.input_cost.setText("")
            self.worst.setText("")
            return
        est = estimate.input.estimated
        self.input.setText(f"Prompt: {formatting.tokens(estimate.input.tokens, est)} tok")
        self.input.setToolTip(f"Input tokens ({estimate.input.method}){' — an estimate' if est else ''}")
        share = estimate.context_share
        if share is None or estimate.context_window is None:
            self.gauge.setValue(0)
            self.gauge.setFormat("context unknown")
        else:
            self.gauge.setValue(min(int(share * 1000), 1000))
            self.gauge.setStyleSheet(TOO_LONG_STYLE if estimate.too_long else "")
            window = _short(estimate.context_window)
            self.gauge.setFormat(f"too long: {window}" if estimate.too_long else f"{share:.1%} of {window}")
        self.gauge.setToolTip(
            "Prompt tokens against the model's context window"
            + (f" — too long for this model ({share:.0%})!" if estimate.too_long and share else "")
        )
        input_cost, worst = estimate.input_cost.total, estimate.worst_cost.total
        # An unknown price reads as unknown, never as a "≈$0" or "≤$0" bound; in few words: "input cost
        # unknown" and "worst case unknown" beside "context unknown" made the window 1283 px wide.
        self.input_cost.setText(
            f"input ≈{formatting.usd(input_cost)}" if input_cost is not None else "price unknown"
        )
        self.input_cost.setToolTip(f"Estimated input cost [{estimate.input_cost.source}]")
        self.worst.setText(f"worst ≤{formatting.usd(worst)}" if worst is not None else "worst unknown")
        self.worst.setToolTip(
            f"Worst case: the prompt plus {estimate.max_tokens:,} tokens of output (max tokens)"
        )

    @property
    def estimate(self) -> Estimate | None:
        """The estimate shown (the last one counted for the current prompt)."""
        return self._estimate

    def clear_run(self) -> None:
        self.cache.clear_run()
        for label in (self.output, self.cost, self.ttft, self.speed):
            label.setText("")
        self.note.setText("")

    def show_progress(self, drained: Drained, running_cost) -> None:
        self.output.setText(f"Output: ~{drained.output_tokens:,} tok")
        self.output.setToolTip("Output tokens so far (our count until the server reports)")
        self.cost.setText(f"cost {formatting.usd(running_cost, True)}")
        if drained.waiting_for_history:  # nothing is sent until the history takes the call
            self.ttft.setText("waiting for the history…")
        elif drained.first_token_s is None:
            self.ttft.setText("waiting for the first token…")
        else:
            self.ttft.setText(f"first token {formatting.millis(drained.first_token_s * 1000)}")
        if drained.first_token_s is not None and drained.elapsed_s > drained.first_token_s + 0.05:
            rate = drained.output_tokens / (drained.elapsed_s - drained.first_token_s)
            self.speed.setText(f"{rate:,.0f} tok/s")

    def show_result(self, result: CallResult) -> None:
        self.cache.show_result(result)
        u = result.usage
        cost = result.cost
        if result.status != "ok" and not result.text and not result.reasoning and result.ttft_ms is None:
            self.output.setText("Last call: –")
            self.output.setToolTip("The last call produced no output")
            unknown = cost is not None and cost.total is None
            self.cost.setText("not billed" if cost and cost.total == 0 else "cost unknown" if unknown else "")
            self.cost.setToolTip(cost.source if cost else "")
            for label in (self.ttft, self.speed, self.note):
                label.setText("")
            return
        reasoning = f" ({u.reasoning_tokens:,} reasoning)" if u.reasoning_tokens else ""
        # The row above soon shows the next prompt's estimate (the answer joins the conversation), so
        # this one says it is the last call and carries that call's prompt: "Prompt: 58" beside
        # "Output: 20" read as one call whose prompt was really 1,234 tokens.
        prompt = formatting.tokens(u.input_tokens, u.input_estimated)
        self.output.setText(
            f"Last call: {prompt} → {formatting.tokens(u.output_tokens, u.output_estimated)} tok{reasoning}"
        )
        self.output.setToolTip("The last call's tokens: prompt → output (the row above is the next run's)")
        self.cost.setText(f"cost {formatting.usd(cost.total, cost.estimated)}" if cost else "")
        self.cost.setToolTip(f"Cost of the call [{cost.source}]" if cost else "")
        ttft = result.ttft_ms
        self.ttft.setText(f"first token {formatting.millis(ttft)}" if ttft is not None else "")
        self.speed.setText(f"{result.tokens_per_s:,.0f} tok/s" if result.tokens_per_s else "")
        guess = result.estimated_input_tokens
        if guess is not None and not u.input_estimated and u.input_tokens:
            # how far the estimate was off, against what the provider counted: "32 (33.3% over)"
            off = (guess - u.input_tokens) / u.input_tokens
            side = "exact" if guess == u.input_tokens else f"{abs(off):.1%} {'over' if off > 0 else 'under'}"
            self.note.setText(f"reported prompt {u.input_tokens:,} tok (our estimate {guess:,}, {side})")
        elif u.input_estimated:
            self.note.setText("server sent no usage: counts are our estimates (~)")
        else:
            self.note.setText("")


def _short(n: int) -> str:
    return f"{n / 1_000_000:g}M" if n >= 1_000_000 else f"{n / 1000:g}k"
