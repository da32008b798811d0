"""Report periods: the day, ISO week, month, quarter or year that holds a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Period = Literal["day", "week", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Window:
    """A period: from ``start`` (included) to ``end`` (excluded)."""

    period: Period
    start: date
    end: date

    @property
    def label(self) -> str:
        """How titles name it: ``2026-11-20``, ``2026-W47``, ``2026-11``, ``2026-Q4``, ``2026``."""
        start = self.start
        if self.period == "day":
            return start.isoformat()
        if self.period == "week":
            year, week, _ = start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.period == "month":
            return f"{start.year}-{start.month:02d}"
        if self.period == "quarter":
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        return str(start.year)

    def weeks(self) -> list[date]:
        """The Monday of every ISO week that overlaps the period, in order."""
        monday = self.start - timedelta(days=self.start.weekday())
        found = []
        while monday < self.end:
            found.append(monday)
            monday += timedelta(weeks=1)
        return found


def window(period: Period, day: date) -> Window:
    """The period of kind ``period`` that holds ``day``."""
    if period == "day":
        return Window(period, day, day + timedelta(days=1))
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return Window(period, monday, monday + timedelta(weeks=1))
    if period == "month":
        start = day.replace(day=1)
        return Window(period, start, _add_months(start, 1))
    if period == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return Window(period, start, _add_months(start, 3))
    start = day.replace(month=1, day=1)
    return Window(period, start, start.replace(year=start.year + 1))


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)
