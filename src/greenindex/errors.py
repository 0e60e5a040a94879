"""Error types that tell a researcher where their input is wrong and what to do.

Every error raised because of user input (a data file, the codebook, the config) is an
:class:`InputError` or :class:`ConfigError`. Their message always names the place (file and
row, or config key), what was wrong, and how to fix it, so that the workflow log can be
read without a traceback.
"""

from __future__ import annotations


class GreenIndexError(Exception):
    """Base class of all errors raised by :mod:`greenindex`."""


class InputError(GreenIndexError, ValueError):
    """A problem in an input table.

    Parameters
    ----------
    problem
        What is wrong, in one sentence.
    file
        The file the problem was found in (path as the user gave it).
    row
        1-based line number in the file *including the header line*, so that it matches
        what a text editor or spreadsheet shows; or ``None`` when the problem is not tied to
        one row.
    column
        The column concerned, if any.
    fix
        What the user should do.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | list[int] | None = None,
        column: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.fix = fix
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if isinstance(self.row, list) and len(self.row) == 1:
            self.row = self.row[0]
        if self.row is not None:
            if isinstance(self.row, list):
                shown = ", ".join(str(r) for r in self.row[:10])
                more = f" (and {len(self.row) - 10} more)" if len(self.row) > 10 else ""
                where.append(f"rows {shown}{more}")
            else:
                where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        msg = (
            "Input error in " + ", ".join(where) + ": " if where else "Input error: "
        ) + self.problem
        if self.fix:
            msg += f"\n  What to do: {self.fix}"
        return msg


class ConfigError(GreenIndexError, ValueError):
    """A problem in the workflow configuration, naming the offending key."""

    def __init__(self, key: str, problem: str, fix: str | None = None) -> None:
        self.key = key
        self.problem = problem
        self.fix = fix
        msg = f"Config error at key '{key}': {problem}"
        if fix:
            msg += f"\n  What to do: {fix}"
        super().__init__(msg)


class MethodError(GreenIndexError, ValueError):
    """A method cannot be applied to the data as given (e.g. a geometric mean of zeros).

    The message says why and which option to change.
    """
