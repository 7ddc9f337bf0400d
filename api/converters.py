"""Path converters that refuse what can be no row: an id past a 32-bit key (which would
overflow SQLite's integer before any access check runs), an unknown register series, a year
that is not four digits. Such a path falls through to the API's problem 404."""

from __future__ import annotations

from registers.models import Series

MAX_ID = 2**31 - 1


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class SeriesConverter:
    regex = "|".join(Series.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
