"""Dates in JQL: absolute dates (``2026-11-24``, ``2026/11/24 10:30``), periods relative to now
(``-1d``, ``-4w 2d``, ``3h``) and the date functions (``startOfDay()``, ``endOfWeek(-1)``,
``startOfMonth("+1M")``, ``now()``...), all in the sandbox user's time zone (UTC) and with the
site's (injectable) clock. Weeks start on Sunday, as for the sandbox user's locale (en_US)."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

INVALID_DATE = (
    "Date value '{value}' for field '{field}' is invalid. Valid formats include: "
    "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format "
    "e.g. '-5d', '4w 2d'."
)
_ABSOLUTE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_PERIOD = re.compile(r"^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$")
_PERIOD_PART = re.compile(r"(\d+)\s*([wdhm])")
_UNIT = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
_INCREMENT = re.compile(r"^([+-])?(\d+)([yMwdhm])?$")
DATE_FUNCTIONS = {
    "now": None,
    "startofday": "d",
    "endofday": "d",
    "startofweek": "w",
    "endofweek": "w",
    "startofmonth": "M",
    "endofmonth": "M",
    "startofyear": "y",
    "endofyear": "y",
}
"""Date functions and the unit a bare increment counts in (``startOfWeek(1)``: next week)."""


def parse_date(text: str, now: datetime) -> datetime | None:
    """An absolute date or a period relative to ``now``; None when ``text`` is neither."""
    match = _ABSOLUTE.match(text.strip())
    if match:
        year, month, day, hour, minute = match.groups()
        try:
            return datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=UTC
            )
        except ValueError:
            return None
    match = _PERIOD.match(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    total = timedelta()
    for amount, unit in _PERIOD_PART.findall(match.group(2)):
        total += int(amount) * _UNIT.get(unit, timedelta(minutes=1))
    return now + sign * total


def _add(moment: datetime, amount: int, unit: str) -> datetime:
    if unit in ("y", "M"):
        months = moment.month - 1 + amount * (12 if unit == "y" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day)
    step = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
    return moment + amount * step.get(unit, timedelta(minutes=1))


def _start(moment: datetime, unit: str) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "w":
        return day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    if unit == "M":
        return day.replace(day=1)
    if unit == "y":
        return day.replace(month=1, day=1)
    return day


def _end(moment: datetime, unit: str) -> datetime:
    start = _start(moment, unit)
    following = start + timedelta(weeks=1) if unit == "w" else _add(start, 1, unit)
    return following - timedelta(milliseconds=1)


def date_function(name: str, args: tuple[str, ...], now: datetime) -> datetime | None:
    """The moment a date function stands for; None when its increment is malformed."""
    key = name.lower()
    unit = DATE_FUNCTIONS[key]
    if unit is None:
        return now
    amount, given = 0, unit
    if args:
        match = _INCREMENT.match(args[0].strip())
        if match is None:
            return None
        sign, number, given = match.groups()
        amount, given = (-1 if sign == "-" else 1) * int(number), given or unit
    # The increment moves the result: startOfMonth("+14d") is the 15th, endOfMonth(-1) the end
    # of last month (an end is taken after moving, so month lengths stay right).
    if key.startswith("start"):
        return _add(_start(now, unit), amount, given)
    if given == unit:
        return _end(_add(now, amount, unit), unit)
    return _add(_end(now, unit), amount, given)
