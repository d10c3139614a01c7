"""Reading JSON request bodies with Laravel-style validation messages under dotted paths."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .failures import Problems
from .money import decimal_places


class Payload:
    """A JSON object being validated; problems are reported as ``prefix.key``."""

    def __init__(self, data: Any, problems: Problems, prefix: str = "") -> None:
        self.data = data if isinstance(data, dict) else {}
        self.problems = problems
        self.prefix = prefix

    def path(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def has(self, key: str) -> bool:
        return key in self.data

    def _present(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.problems.add(self.path(key), f"The {key.replace('_', ' ')} field is required.")
            return None
        return value

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self._present(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problems.add(self.path(key), f"The {key.replace('_', ' ')} must be a string.")
            return None
        value = str(value)
        if max_length is not None and len(value) > max_length:
            self.problems.add(
                self.path(key),
                f"The {key.replace('_', ' ')} may not be greater than {max_length} characters.",
            )
            return None
        return value

    def decimal(
        self,
        key: str,
        *,
        required: bool = False,
        places: int | None = None,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        positive: bool = False,
    ) -> Decimal | None:
        value = self._present(key, required)
        if value is None:
            return None
        label = key.replace("_", " ")
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problems.add(self.path(key), f"The {label} must be a number.")
            return None
        if places is not None and decimal_places(number) > places:
            self.problems.add(self.path(key), f"The {label} may have at most {places} decimals.")
        elif positive and number <= 0:
            self.problems.add(self.path(key), f"The {label} must be greater than 0.")
        elif minimum is not None and number < minimum:
            self.problems.add(self.path(key), f"The {label} must be at least {minimum}.")
        elif maximum is not None and number > maximum:
            self.problems.add(self.path(key), f"The {label} may not be greater than {maximum}.")
        else:
            return number
        return None

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self._present(key, required)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or Decimal(str(value)) % 1:
                raise ValueError
            return int(Decimal(str(value)))
        except (ValueError, InvalidOperation):
            self.problems.add(self.path(key), f"The {key.replace('_', ' ')} must be an integer.")
            return None

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true"):
            return True
        if str(value).lower() in ("0", "false"):
            return False
        self.problems.add(self.path(key), f"The {key.replace('_', ' ')} field must be true or false.")
        return None

    def choice(self, key: str, options: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is not None and value not in options:
            self.problems.add(self.path(key), f"The selected {key.replace('_', ' ')} is invalid.")
            return None
        return value

    def objects(self, key: str) -> list[Payload] | None:
        """A list of objects, each validated under ``key.N.``; None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.problems.add(self.path(key), f"The {key} must be an array.")
            return []
        return [Payload(item, self.problems, f"{self.path(key)}.{i}.") for i, item in enumerate(value)]

    def nested(self, key: str) -> Payload:
        return Payload(self.data.get(key), self.problems, f"{self.path(key)}.")


def int_or_none(value: Any) -> int | None:
    """A path key or reference as an int, or None when it is not one."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
