"""Relative due dates such as ``-2d``, ``3d``, ``5bd`` and ``2w``, counted from a start date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from teamcomms.definitions.common import DefinitionValueError

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

    def on(self, start: date) -> date:
        """The due date for someone starting on ``start``.

        Business days skip Saturdays and Sundays; ``0bd`` is the start date itself.
        """
        result = start + timedelta(days=self.days, weeks=self.weeks)
        step = 1 if self.business_days > 0 else -1
        remaining = abs(self.business_days)
        while remaining:
            result += timedelta(days=step)
            if result.weekday() < 5:
                remaining -= 1
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
