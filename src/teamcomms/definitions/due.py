"""Relative due dates such as ``-2d``, ``3d``, ``5bd`` and ``2w``, counted from a start date, on a
calendar of working days (weekends, public holidays from the ``holidays`` package, days off)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from teamcomms.definitions.common import DefinitionValueError

if TYPE_CHECKING:
    from teamcomms.definitions.project_file import Calendar

DUE_PATTERN = r"^-?\d+(d|bd|w)$"
_DUE = re.compile(r"(-?)(\d+)(d|bd|w)")
_MAX_AMOUNT = 3660


@dataclass(frozen=True)
class RelativeDue:
    """An offset from a start date. Exactly one of the three amounts is non-zero (or all zero)."""

    days: int = 0
    business_days: int = 0
    weeks: int = 0

    @classmethod
    def parse(cls, text: str) -> RelativeDue:
        """Parse ``-2d`` (calendar days), ``5bd`` (business days, Mon-Fri) or ``2w`` (weeks)."""
        match = _DUE.fullmatch(text.strip())
        if match is None:
            raise DefinitionValueError(
                f"'{text}' is not a relative date",
                "write a number and a unit: -2d (2 days before the start), 0d (the first day), "
                "3bd (3 business days after), 2w (2 weeks after)",
            )
        sign, digits, unit = match.groups()
        amount = int(digits) * (-1 if sign else 1)
        if abs(amount) > _MAX_AMOUNT:
            raise DefinitionValueError(
                f"'{text}' is more than ten years from the start", "use a nearer date"
            )
        if unit == "d":
            return cls(days=amount)
        if unit == "bd":
            return cls(business_days=amount)
        return cls(weeks=amount)

    def on(self, start: date, calendar: WorkingDays | None = None) -> date:
        """The due date for someone starting on ``start``.

        Business days skip the days ``calendar`` does not work (without one: Saturdays and
        Sundays); ``0bd`` is the start date itself. With a calendar, a date counted in days or
        weeks that falls on a day off moves to the nearest working day on the start date's side:
        earlier before the start (work for the first day must be ready by then), later after it
        (nobody can do it on a holiday). The start date itself never moves.
        """
        working = calendar or WEEKDAYS
        result = start + timedelta(days=self.days, weeks=self.weeks)
        step = 1 if self.business_days > 0 else -1
        remaining = abs(self.business_days)
        while remaining:
            result += timedelta(days=step)
            if working.is_working(result):
                remaining -= 1
        if calendar is None or result == start:
            return result
        towards = timedelta(days=1 if result > start else -1)
        while not working.is_working(result):
            result += towards
        return result

    def __str__(self) -> str:
        if self.business_days:
            return f"{self.business_days}bd"
        if self.weeks:
            return f"{self.weeks}w"
        return f"{self.days}d"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> RelativeDue:
            if isinstance(value, RelativeDue):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                raise DefinitionValueError(
                    f"'{value}' has no unit", f"write {value}d, {value}bd or {value}w"
                )
            if not isinstance(value, str):
                raise DefinitionValueError(f"'{value}' is not a relative date", "write e.g. 3d")
            return cls.parse(value)

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": DUE_PATTERN,
            "description": "Relative to the start date: Nd days, Nbd business days, Nw weeks.",
        }


@dataclass(frozen=True)
class WorkingDays:
    """Monday to Friday, less the public holidays of ``country`` (and ``region``) and
    ``days_off``. Holidays come from the maintained ``holidays`` package, loaded on first use."""

    country: str | None = None
    region: str | None = None
    days_off: frozenset[date] = frozenset()
    _holidays: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @classmethod
    def of(cls, calendar: Calendar) -> WorkingDays:
        """The working days a project's ``calendar:`` describes."""
        return cls(calendar.country, calendar.region, frozenset(calendar.days_off))

    def is_working(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return day.weekday() < 5 and day not in self.days_off and self.holiday(day) is None

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on ``day``, if any."""
        if self.country is None:
            return None
        with self._lock:
            found = self._holidays.get("calendar")
            if found is None:
                import holidays

                found = holidays.country_holidays(self.country, subdiv=self.region)
                self._holidays["calendar"] = found
            name = found.get(day)
        return str(name) if name else None

    def days_off_between(self, start: date, end: date) -> Iterable[date]:
        """Weekdays from ``start`` to ``end`` (both included) that are not working days."""
        day = start
        while day <= end:
            if day.weekday() < 5 and not self.is_working(day):
                yield day
            day += timedelta(days=1)


WEEKDAYS = WorkingDays()
"""Monday to Friday, no holidays."""
