"""The history's date filter: a preset (today, 7 days, this month, last month) or two picked days.

Days are the user's local days (the zone the filters use); ``today`` is asked of the caller, so the
widget never reads a clock or a setting itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from playground.history.filters import DatePreset, preset_days


class DateRange(QWidget):
    changed = Signal()  # the days shown changed

    def __init__(self, today: Callable[[], date] = date.today, parent: QWidget | None = None):
        super().__init__(parent)
        self._today = today
        self.preset = QComboBox()
        self.preset.addItems([p.value for p in DatePreset])
        self.preset.setAccessibleName("Date range")
        self.preset.setToolTip("Which days to show (your local days)")
        self.since = self._day_edit("From date")
        self.until = self._day_edit("To date")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset)
        layout.addWidget(self.since)
        self._dash = QLabel("–")
        layout.addWidget(self._dash)
        layout.addWidget(self.until)
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.since.dateChanged.connect(lambda day: self._day_picked(self.since, day))
        self.until.dateChanged.connect(lambda day: self._day_picked(self.until, day))
        self._preset_chosen(self.preset.currentText())
        # as tall with the day pickers hidden as shown (a day picker is a pixel taller than a combo
        # here): a preset then never moves the table below, which repainted every cell (~10 ms)
        self.setMinimumHeight(max(w.sizeHint().height() for w in (self.preset, self.since)))

    def _day_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setAccessibleName(name)
        edit.setToolTip(f"{name} (inclusive, your local day)")
        # a typed day counts once it is finished (Enter, Tab, an arrow step): "2" on the way to "28" is
        # not a day to filter by, nor one to move the other box to
        edit.setKeyboardTracking(False)
        edit.setDate(_qdate(self._today()))
        return edit

    def current(self) -> DatePreset:
        return DatePreset(self.preset.currentText())

    def set_preset(self, preset: DatePreset) -> None:
        self.preset.setCurrentText(preset.value)

    def set_days(self, first: date, last: date) -> None:
        """Show the days ``first`` to ``last`` (inclusive, either order), as a custom range."""
        for edit, day in ((self.since, min(first, last)), (self.until, max(first, last))):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.preset.blockSignals(True)
        self.set_preset(DatePreset.CUSTOM)
        self.preset.blockSignals(False)
        self._preset_chosen(DatePreset.CUSTOM.value)

    def days(self) -> tuple[date, date] | None:
        """The first and last day shown (inclusive), None for all dates. A preset is worked out
        now, so "Today" stays today after midnight."""
        preset = self.current()
        if preset is DatePreset.ALL:
            return None
        if preset is DatePreset.CUSTOM:
            first, last = _day(self.since.date()), _day(self.until.date())
            return (first, last) if first <= last else (last, first)
        return preset_days(preset, self._today())

    def _preset_chosen(self, _: str) -> None:
        preset = self.current()
        days = preset_days(preset, self._today())
        if days is not None:
            for edit, day in zip((self.since, self.until), days, strict=True):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        custom_visible = preset is not DatePreset.ALL
        for w in (self.since, self._dash, self.until):
            w.setVisible(custom_visible)
        self.changed.emit()

    def _day_picked(self, edit: QDateEdit, day: QDate) -> None:
        """A day picked by hand makes the range custom. A From after To moves To to it (and a To before
        From moves From), so the boxes always show the days the filter uses."""
        other = self.until if edit is self.since else self.since
        if (day > other.date()) if edit is self.since else (day < other.date()):
            other.blockSignals(True)
            other.setDate(day)
            other.blockSignals(False)
        if self.current() is not DatePreset.CUSTOM:
            self.preset.blockSignals(True)
            self.set_preset(DatePreset.CUSTOM)
            self.preset.blockSignals(False)
        self.changed.emit()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
