"""How bench/generate.py writes its rows: PostgreSQL's COPY for the big tables, a progress bar
per table on stderr, and the time and row count of every table for the summary.

Rows are tuples in the order of the attribute names a :class:`Table` lists; the list must name
every concrete field of the model, so a field added to a model later stops the generator with
a clear message instead of leaving a column to a default the application never writes. The ids
are the generator's own (it needs them for the rows that point at them); the sequences are
moved past them at the end of the run.
"""

import itertools
import json
import sys
import time
from dataclasses import dataclass, field

# Rows per COPY statement. The foreign keys are checked at the end of each statement (the
# constraints are made immediate), so this bounds the memory PostgreSQL keeps for those checks.
COPY_CHUNK = 50_000
READ_SIZE = 1 << 16

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


# How each type a row may hold is written, looked up by exact type (so True is not taken for 1,
# and the members of Django's choices, a str subclass, are written by str() as their value).
_WRITERS = {
    str: lambda value: value.translate(_ESCAPES),
    int: str,
    type(None): lambda value: "\\N",
    bool: lambda value: "t" if value else "f",
    dict: _json,
    list: _json,
}


def copy_cell(value) -> str:
    """*value* in COPY's text format (dates, times and decimals as ``str`` writes them)."""
    return _WRITERS.get(type(value), str)(value)


def copy_line(row) -> str:
    """One row (a tuple) as a line of COPY's text format."""
    return "\t".join(map(copy_cell, row)) + "\n"


class _Lines:
    """A file-like object over rows, read by psycopg2's ``copy_expert`` a block at a time, so
    no table is ever built whole in memory. *rows* are tuples, or lines already in COPY's
    format when *formatted*."""

    def __init__(self, rows, on_row, *, formatted=False):
        self._rows = rows
        self._on_row = on_row
        self._formatted = formatted
        self._rest = ""

    def read(self, size=READ_SIZE):
        parts, length = [self._rest], len(self._rest)
        for row in self._rows:
            line = row if self._formatted else copy_line(row)
            parts.append(line)
            length += len(line)
            self._on_row()
            if length >= size:
                break
        text = "".join(parts)
        self._rest = text[size:]
        return text[:size]


class Table:
    """One model's table as the generator fills it: which attributes each row tuple holds."""

    def __init__(self, model, attnames):
        self.model = model
        self.attnames = tuple(attnames)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(self.attnames) - set(fields)
        missing = set(fields) - set(self.attnames)
        if unknown or missing:
            raise SystemExit(
                f"{model._meta.label}: the generator's columns do not match the model "
                f"(missing {sorted(missing)}, unknown {sorted(unknown)}); update bench/generate*."
            )
        self.columns = [fields[name].column for name in self.attnames]

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def copy(self, cursor, rows, on_row, *, formatted=False) -> None:
        """COPY *rows* in statements of ``COPY_CHUNK`` rows, each drawn while it is sent (the
        database takes in one block while the next is being made)."""
        columns = ", ".join(f'"{column}"' for column in self.columns)
        sql = f'COPY "{self.name}" ({columns}) FROM STDIN'
        rows = iter(rows)
        for first in rows:
            chunk = itertools.chain([first], itertools.islice(rows, COPY_CHUNK - 1))
            cursor.copy_expert(sql, _Lines(chunk, on_row, formatted=formatted), size=READ_SIZE)


class Spool:
    """Rows of a table kept in a temporary file (already in COPY's format) while another table
    is being copied, then copied themselves: one COPY runs at a time on a connection."""

    def __init__(self, table: Table):
        import tempfile

        self.table = table
        self.count = 0
        # Closed by lines() once the rows are copied; a temporary file vanishes with the process.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", prefix="bench-generate-")  # noqa: SIM115

    def add(self, row) -> None:
        self._file.write(copy_line(row))
        self.count += 1

    def lines(self):
        self._file.seek(0)
        yield from self._file
        self._file.close()


def next_id(model, column: str = "id") -> int:
    """The first free id of *model*'s table (rows may be there already with --force)."""
    from django.db import connection

    with connection.cursor() as cursor:
        table = model._meta.db_table  # a model's own table name, not input
        cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) + 1 FROM "{table}"')  # noqa: S608
        return cursor.fetchone()[0]


def reset_sequences(models) -> None:
    """Move every id sequence of *models* past the ids the generator wrote."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


class Progress:
    """A progress bar on stderr for one table: redrawn at most five times a second when
    stderr is a terminal, else only the final line."""

    WIDTH = 30

    def __init__(self, label: str, total: int | None, *, quiet: bool):
        self.label = label
        self.total = total
        self.count = 0
        self.quiet = quiet
        self.live = not quiet and sys.stderr.isatty()
        self.started = time.perf_counter()
        self._drawn = 0.0

    def step(self, n: int = 1) -> None:
        self.count += n
        if self.live:
            now = time.perf_counter()
            if now - self._drawn >= 0.2:
                self._drawn = now
                self._draw(now, end="\r")

    def done(self) -> float:
        now = time.perf_counter()
        if not self.quiet:
            self._draw(now, end="\n")
        return now - self.started

    def _draw(self, now: float, *, end: str) -> None:
        seconds = now - self.started
        if self.total:
            share = min(1.0, self.count / self.total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            figures = f"[{bar}] {share:4.0%} {self.count:>11,}/{self.total:,}"
        else:
            figures = f"{self.count:>11,}"
        clear = "\x1b[2K" if self.live else ""  # wipes the half-drawn bar on a terminal
        sys.stderr.write(f"{clear}{self.label:<28} {figures} {seconds:7.1f} s{end}")
        sys.stderr.flush()


@dataclass
class Summary:
    """What was loaded: rows and seconds per table, in the order they were loaded."""

    quiet: bool = False
    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    def progress(self, label: str, total: int | None = None) -> Progress:
        return Progress(label, total, quiet=self.quiet)

    def add(self, label: str, count: int, seconds: float) -> None:
        self.rows[label] = self.rows.get(label, 0) + count
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds

    def copy(self, table: Table, rows, *, total: int | None = None, label: str = "") -> int:
        """COPY *rows* into *table* with a progress bar; returns how many were written."""
        return self._copy(table, rows, total=total, label=label, formatted=False)

    def copy_spool(self, spool: Spool, *, label: str = "") -> int:
        """COPY the rows kept in *spool* into its table."""
        return self._copy(
            spool.table, spool.lines(), total=spool.count, label=label, formatted=True
        )

    def _copy(self, table, rows, *, total, label, formatted) -> int:
        from django.db import connection, transaction

        progress = self.progress(label or table.name, total)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            table.copy(cursor.cursor, rows, progress.step, formatted=formatted)
        self.add(label or table.name, progress.count, progress.done())
        return progress.count

    def timed(self, label: str, work, *, total: int | None = None):
        """Run ``work(progress)`` (which returns how many rows it wrote) as one line."""
        progress = self.progress(label, total)
        count = work(progress)
        progress.count = count
        self.add(label, count, progress.done())
        return count

    def table(self) -> str:
        lines = [f"{'table':<40} {'rows':>12} {'seconds':>9}"]
        for label, count in self.rows.items():
            lines.append(f"{label:<40} {count:>12,} {self.seconds[label]:>9.1f}")
        return "\n".join(lines)
