"""Partially known arrays: the law's three-valued logic as a property of evaluation.

A `Partial` holds n rows (the cases of a population) whose values are known for some rows and only
bounded for others: for each element an interval [lo, hi] of the values every completion of the
missing facts can give (lo == hi where the value is known), and, per row, the *reasons*: which
missing facts the unknown part depends on (a bitset; the evaluation keeps the registry of bits).

Formulas are ordinary vectorised numpy code. Given a `Partial`, numpy's operators and functions
dispatch here (`__array_ufunc__`, `__array_function__`) and compute sound enclosures:

* booleans are intervals of {False, True}: `a & b` is false as soon as one side is known false,
  `a | b` true as soon as one side is known true (Kleene logic) — inside any formula;
* comparisons are decided when the intervals do not overlap (a count whose given members already
  reach the threshold, a date range entirely before a deadline);
* `np.where(c, x, y)` reads only the branch a known `c` selects (a date used only in a branch the
  facts rule out is not needed); with `c` unknown it takes the hull of both branches;
* sums, any/all and min/max along a row and across an organisation's members add up intervals.

Anything else falls back to *strict* semantics, which is always sound: an element is unknown when
any input of its row is unknown (the generic `__array_function__` / `__array_ufunc__` fallback). A
use that numpy cannot dispatch (`np.asarray`, `bool(x)`, `float(x)`, a Python `if` on data)
raises `Unsupported`; the evaluator then re-runs that one formula strictly. So a result is never
decided unless every completion gives it; and it is undetermined only through the reasons of the
parts that could still change it.

Points (rows fully known) are computed by numpy itself on the placeholder values, so a fully known
result equals, bit for bit, what the plain formula computes; a result with no unknown row collapses
back to a plain ndarray, and a population that gives every fact never sees a `Partial`.
"""

from .core import (Partial, Unsupported, asarray, is_partial, known_mask, lo_of, open_rows,  # noqa: F401
                   strict_rows)
from . import functions, ops  # noqa: F401  (they register the operations)
from .functions import spread  # noqa: F401
from .lifting import lift_elementwise, monotone  # noqa: F401
from .ops import kleene  # noqa: F401

__all__ = ["Partial", "Unsupported", "is_partial", "asarray", "lo_of", "known_mask", "strict_rows",
           "monotone", "lift_elementwise", "open_rows", "spread", "kleene"]
