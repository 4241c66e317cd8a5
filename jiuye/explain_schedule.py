"""A measure's payment schedules as the explainer shows them (`jiuye.explain`), read once for every
row of an evaluation: one numpy pass per measure instead of one per result (a batch's rows share it)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .model.base import Installments, amount_due_by
from .model.dates import NEVER
from .model.partial import is_partial, lo_of


class RowSchedules:
    """The installments of one measure for every row (`Installments`, (n, K) slots), read at once.

    A slot is known where its due date, amount and ceiling all are; a row is known where all its
    slots are. Shown, per row: the known slots in use (a due date, an amount that is positive or not
    set by this document, NaN), as Python values in slot order."""

    __slots__ = ("parts", "due", "amount", "_open", "_rows", "_days", "_amounts", "_caps", "_due_by")

    def __init__(self, inst: Installments) -> None:
        self.due, self.amount = inst.due, inst.amount
        self.parts = [part for part in (inst.due, inst.amount, inst.ceiling) if is_partial(part)]
        d, a, c = lo_of(inst.due), lo_of(inst.amount), lo_of(inst.ceiling)
        shown = (d < NEVER) & ~(a <= 0)           # (a NaN amount is in use: ~(NaN <= 0))
        self._open = ()                           # the row of each slot not known, in row order
        if self.parts:
            known = self.parts[0].known
            for part in self.parts[1:]:
                known = known & part.known
            shown &= known
            self._open = (~known).nonzero()[0].tolist()
        self._rows = shown.nonzero()[0].tolist()  # the row of each shown slot, in row order
        self._days = [str(day) for day in d[shown]]
        self._amounts = a[shown].tolist()
        self._caps = c[shown].tolist()
        self._due_by = None

    def pending(self, row: int) -> int:
        """How many of the row's slots are not known (0: the row's schedule is known)."""
        return bisect_right(self._open, row) - bisect_left(self._open, row) if self._open else 0

    def installments(self, row: int) -> list[dict]:
        """The row's known installments, by due date: due ("YYYY-MM-DD"), amount (rounded to the fen;
        None where this document does not set it), ceiling (the amount is a cap)."""
        start, end = bisect_left(self._rows, row), bisect_right(self._rows, row)
        items = [{"due": day, "amount": None if value != value else round(float(value), 2), "ceiling": bool(cap)}
                 for day, value, cap in zip(self._days[start:end], self._amounts[start:end], self._caps[start:end])]
        if len(items) > 1:
            items.sort(key=lambda item: item["due"])
        return items

    def due_by(self, day):
        """`amount_due_by(due, amount, day)` for every row (computed once per day)."""
        if self._due_by is None or self._due_by[0] != day:
            self._due_by = (day, amount_due_by(self.due, self.amount, day))
        return self._due_by[1]
