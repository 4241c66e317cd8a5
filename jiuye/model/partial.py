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

from __future__ import annotations

import enum as pyenum

import numpy as np

__all__ = ["Partial", "Unsupported", "is_partial", "asarray", "lo_of", "known_mask", "strict_rows",
           "monotone", "lift_elementwise", "open_rows"]


class Unsupported(TypeError):
    """A use of a Partial that cannot be evaluated soundly element by element (the evaluator then
    evaluates the formula strictly: unknown where any input of the row is unknown)."""


_INT_TOP = 2 ** 52
_DATE_LO = np.datetime64("0001-01-01", "D")
_DATE_HI = np.datetime64("9999-12-31", "D")
_TD_TOP = np.timedelta64(4_000_000, "D")


def _kind(dtype: np.dtype) -> str:
    if dtype == np.bool_:
        return "b"
    return dtype.kind            # i u f M m O U S


def _top(dtype: np.dtype):
    """(lo, hi) bounds of "any value" for a dtype."""
    k = _kind(dtype)
    if k == "b":
        return False, True
    if k in "iu":
        return -_INT_TOP, _INT_TOP
    if k == "f":
        return -np.inf, np.inf
    if k == "M":
        unit = np.datetime_data(dtype)[0]
        return _DATE_LO.astype(dtype) if unit != "generic" else _DATE_LO, \
            _DATE_HI.astype(dtype) if unit != "generic" else _DATE_HI
    if k == "m":
        return -_TD_TOP, _TD_TOP
    return None, None


def _eq(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Elementwise lo == hi, NaN equal to NaN (a known NaN: an amount this document does not set)."""
    same = lo == hi
    if lo.dtype.kind == "f":
        same = same | (np.isnan(lo) & np.isnan(hi))
    elif lo.dtype.kind == "M":
        same = same | (np.isnat(lo) & np.isnat(hi))
    return np.asarray(same, dtype=bool)


def _rows(shape) -> int:
    if not shape:
        raise Unsupported("a 0-d partial value")
    return shape[0]


class Partial(np.lib.mixins.NDArrayOperatorsMixin):
    """See the module docstring. `enum`: the possible values when the codes are an Enum's
    (unordered: only equality, membership and selection are precise)."""

    __slots__ = ("lo", "hi", "known", "why", "enum")
    __array_priority__ = 1000

    def __init__(self, lo, hi=None, known=None, why=None, enum=None) -> None:
        lo = np.asarray(lo)
        hi = lo if hi is None else np.asarray(hi)
        if known is None:
            known = _eq(lo, hi) if enum is None else np.ones(lo.shape, bool)
        self.lo, self.hi, self.known = lo, hi, np.asarray(known, dtype=bool)
        self.why = why
        self.enum = enum

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def of_fact(cls, values, missing, lo=None, hi=None, why=None, enum=None):
        """A fact's values, unknown where `missing` (bool mask): bounded by [lo, hi] there (the
        fact's declared range; the type's whole range when not given)."""
        values = np.asarray(values)
        missing = np.asarray(missing, dtype=bool)
        if enum is not None or values.dtype.kind in "OUS":
            known = ~missing
            return cls(values, values, known, why, enum)
        top_lo, top_hi = _top(values.dtype)
        lo_fill = top_lo if lo is None else lo
        hi_fill = top_hi if hi is None else hi
        lo_values = np.where(missing, np.asarray(lo_fill).astype(values.dtype), values)
        hi_values = np.where(missing, np.asarray(hi_fill).astype(values.dtype), values)
        return cls(lo_values, hi_values, ~missing, why, enum)

    @classmethod
    def top_where(cls, values, unknown, why=None, enum=None):
        """Known values except where `unknown` (a row mask or an elementwise mask): any value there."""
        values = np.asarray(values)
        unknown = np.asarray(unknown, dtype=bool)
        if unknown.ndim < values.ndim:
            unknown = np.broadcast_to(unknown.reshape(unknown.shape + (1,) * (values.ndim - unknown.ndim)),
                                      values.shape)
        if enum is not None or values.dtype.kind in "OUS":
            return cls(values, values, ~unknown, why, enum)
        top_lo, top_hi = _top(values.dtype)
        lo = np.where(unknown, np.asarray(top_lo).astype(values.dtype), values)
        hi = np.where(unknown, np.asarray(top_hi).astype(values.dtype), values)
        return _collapse(cls(lo, hi, ~unknown, why, enum))

    # -- array protocol -------------------------------------------------------------------------
    @property
    def shape(self):
        return self.lo.shape

    @property
    def ndim(self):
        return self.lo.ndim

    @property
    def dtype(self):
        return self.lo.dtype

    @property
    def size(self):
        return self.lo.size

    def __len__(self):
        return len(self.lo)

    def __array__(self, dtype=None, copy=None):
        raise Unsupported("a partially known value cannot be converted to a plain array")

    def __bool__(self):
        raise Unsupported("a partially known value cannot decide a Python `if`")

    def __float__(self):
        raise Unsupported("float() of a partially known value")

    def __int__(self):
        raise Unsupported("int() of a partially known value")

    def __iter__(self):
        raise Unsupported("iterating over a partially known value")

    def tolist(self):
        raise Unsupported("tolist() of a partially known value")

    def item(self, *args):
        raise Unsupported("item() of a partially known value")

    def __repr__(self) -> str:
        return f"Partial(lo={self.lo!r}, hi={self.hi!r}, known={self.known!r})"

    @property
    def value(self) -> np.ndarray:
        """The placeholder values (exact where known)."""
        return self.lo

    def open_rows(self) -> np.ndarray:
        """Rows with an unknown element."""
        if self.known.ndim <= 1:
            return ~self.known
        return ~self.known.reshape(self.known.shape[0], -1).all(axis=1)

    # -- structure ----------------------------------------------------------------------------------
    def __getitem__(self, key):
        rows_kept = _row_key_keeps_rows(key)
        lo, hi, known = self.lo[key], self.hi[key], self.known[key]
        if rows_kept:
            why = self.why
        else:
            row_key = key[0] if isinstance(key, tuple) else key
            if isinstance(row_key, (int, np.integer)):
                raise Unsupported("indexing one row of a partially known value")
            why = None if self.why is None else (self.why if self.why.shape[0] == 1 else self.why[row_key])
        if np.ndim(lo) == 0:
            raise Unsupported("indexing one element of a partially known value")
        return _collapse(Partial(lo, hi, known, why, self.enum))

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        lo = self.lo.reshape(*shape)
        if lo.shape[:1] != self.lo.shape[:1]:
            raise Unsupported("a reshape that mixes rows")
        return Partial(lo, self.hi.reshape(*shape), self.known.reshape(*shape), self.why, self.enum)

    def astype(self, dtype, *args, **kwargs):
        """Conversions between numbers, dates of any unit and booleans are monotone."""
        dtype = np.dtype(dtype)
        if self.enum is not None or _kind(self.lo.dtype) in "OUS":
            return _strict(lambda v: v.astype(dtype), (self,))
        with np.errstate(all="ignore"):
            lo = _safe_cast(self.lo, dtype, low=True)
            hi = _safe_cast(self.hi, dtype, low=False)
            exact = self.lo.astype(dtype)
        lo = np.where(self.known, exact, lo)
        hi = np.where(self.known, exact, hi)
        return _collapse(Partial(lo, hi, None, self.why))

    # in-place operators give a new value (a Partial is never modified)
    def __iand__(self, other):
        return self & other

    def __ior__(self, other):
        return self | other

    def __iadd__(self, other):
        return self + other

    def __isub__(self, other):
        return self - other

    def __imul__(self, other):
        return self * other

    def copy(self):
        return Partial(self.lo.copy(), self.hi.copy(), self.known.copy(), self.why, self.enum)

    @property
    def T(self):
        raise Unsupported("transposing a partially known value")

    # reductions along a row (axis=1) keep the rows
    def sum(self, axis=None, **kwargs):
        return _reduce(np.add, self, axis)

    def any(self, axis=None, **kwargs):
        return _reduce(np.logical_or, self, axis)

    def all(self, axis=None, **kwargs):
        return _reduce(np.logical_and, self, axis)

    def max(self, axis=None, **kwargs):
        return _reduce(np.maximum, self, axis)

    def min(self, axis=None, **kwargs):
        return _reduce(np.minimum, self, axis)

    # enum codes
    def decode(self):
        raise Unsupported("decode() of a partially known value")

    @property
    def possible_values(self):
        if self.enum is None:
            raise AttributeError("possible_values")
        return self.enum

    # -- numpy dispatch -------------------------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if kwargs.get("out") is not None:
            raise Unsupported(f"{ufunc.__name__} with out=")
        if method == "__call__":
            handler = _UFUNCS.get(ufunc)
            if handler is not None:
                return handler(*inputs, **kwargs)
            return _strict(lambda *a: ufunc(*a, **kwargs), inputs)
        if method == "reduce" and ufunc in (np.add, np.logical_and, np.logical_or, np.maximum, np.minimum):
            array = inputs[0]
            axis = kwargs.get("axis", 0)
            if isinstance(array, Partial):
                return _reduce(ufunc, array, axis)
        raise Unsupported(f"{ufunc.__name__}.{method} of a partially known value")

    def __array_function__(self, func, types, args, kwargs):
        handler = _FUNCTIONS.get(func)
        if handler is not None:
            return handler(*args, **kwargs)
        return _strict(lambda *a: func(*a, **kwargs), args, flat=True)


def is_partial(value) -> bool:
    return isinstance(value, Partial)


def lo_of(value):
    """Placeholder values: exact where known (for code that only needs shapes or known rows)."""
    return value.lo if isinstance(value, Partial) else value


def known_mask(value, n: int | None = None) -> np.ndarray:
    """Rows fully known (all True for a plain array)."""
    if isinstance(value, Partial):
        return ~value.open_rows()
    shape = np.shape(value)
    return np.ones(shape[0] if shape else (n or 1), bool)


def open_rows(value) -> np.ndarray | None:
    return value.open_rows() if isinstance(value, Partial) else None


def asarray(value, dtype=None):
    """np.asarray that keeps a Partial (converting its type, which is monotone)."""
    if isinstance(value, Partial):
        return value if dtype is None or np.dtype(dtype) == value.dtype else value.astype(dtype)
    if hasattr(value, "possible_values") and dtype is None:
        return value
    return np.asarray(value, dtype=dtype)


# -- helpers -------------------------------------------------------------------------------------------
def _row_key_keeps_rows(key) -> bool:
    if isinstance(key, tuple):
        if not key:
            return True
        first = key[0]
        return (isinstance(first, slice) and first == slice(None)) or first is Ellipsis
    return isinstance(key, slice) and key == slice(None)


def _safe_cast(values: np.ndarray, dtype: np.dtype, low: bool) -> np.ndarray:
    """Cast interval bounds; infinities and out-of-range values go to the target type's bounds."""
    src, dst = _kind(values.dtype), _kind(dtype)
    if src == "f" and dst in "iuM":
        top_lo, top_hi = _top(dtype)
        finite = np.where(np.isfinite(values), values, -_INT_TOP if low else _INT_TOP)
        clipped = np.clip(finite, -_INT_TOP, _INT_TOP)
        return clipped.astype(dtype) if dst != "M" else clipped.astype(np.int64).astype(dtype)
    return values.astype(dtype)


def _parts(value):
    """(lo, hi, known-or-None, why, enum) of an operand (a plain operand is its own bounds)."""
    if isinstance(value, Partial):
        return value.lo, value.hi, value.known, value.why, value.enum
    if isinstance(value, pyenum.Enum):
        value = value.index            # an Enum member compares by its index
    array = np.asarray(value)
    if hasattr(value, "possible_values"):
        array = array.view(np.ndarray)
    return array, array, None, None, getattr(value, "possible_values", None)


def _n_of(operands) -> int | None:
    for value in operands:
        if isinstance(value, Partial):
            return _rows(value.shape)
    return None


def _union_why(result_open: np.ndarray | None, operands, n: int):
    """Reasons of a result: the reasons of each operand on the rows where that operand is open,
    kept where the result is open."""
    parts = []
    for value in operands:
        if isinstance(value, Partial) and value.why is not None:
            parts.append((value.why, value.open_rows()))
    if not parts or result_open is None or not result_open.any():
        return None
    if len(parts) == 1:              # one operand with reasons: the result is open only where it is
        why = parts[0][0]
        if result_open.all() and why.shape[0] == n:
            return why
        if why.shape[0] == 1 and n > 1:
            why = np.broadcast_to(why, (n, why.shape[1]))
        if why.shape[0] == n:
            return np.where(result_open[:, None], why, np.uint64(0))
    width = max(w.shape[1] for w, _ in parts)
    out = np.zeros((n, width), np.uint64)
    for why, rows in parts:
        if why.shape[1] < width:
            why = np.pad(why, ((0, 0), (0, width - why.shape[1])))
        if rows.shape[0] != n:
            if rows.shape[0] == 1:
                rows = np.broadcast_to(rows, (n,))
            else:
                raise Unsupported("operands with different numbers of rows")
        out |= np.where((rows & result_open)[:, None], why, np.uint64(0))
    return out


def _collapse(partial: Partial):
    """A Partial with every element known is returned as a plain array."""
    if partial.known.all():
        if partial.enum is not None:
            from openfisca_core.indexed_enums import EnumArray
            return EnumArray(partial.lo, partial.enum)
        return partial.lo
    return partial


def _finish(lo, hi, plain, all_known, operands, dtype_kind=None):
    """Build the result: the exact numpy result `plain` where every operand is known, [lo, hi]
    elsewhere (known where the interval is a point)."""
    if all_known is True or all_known.any():
        lo = np.where(all_known, plain, lo)
        hi = np.where(all_known, plain, hi)
        known = _eq(lo, hi) | all_known
    else:
        known = _eq(lo, hi)
    if lo.dtype.kind == "f":
        # an enclosure must not be NaN: NaN bounds of an unknown element (∞ − ∞, ∞ · 0) mean "any"
        bad = ~known & (np.isnan(lo) | np.isnan(hi))
        if bad.any():
            lo = np.where(bad, -np.inf, lo)
            hi = np.where(bad, np.inf, hi)
    n = _rows(np.shape(lo)) if np.ndim(lo) else None
    if n is None:
        raise Unsupported("a 0-d result")
    result = Partial(lo, hi, known, None)
    if not known.all():
        result.why = _union_why(result.open_rows(), operands, n)
    return _collapse(result)


def _all_known(*operands):
    masks = [v.known for v in operands if isinstance(v, Partial)]
    if not masks:
        return True
    out = masks[0]
    for m in masks[1:]:
        out = out & m
    return out


def _strict(function, operands, flat: bool = False):
    """Strict semantics (always sound): computed on the placeholders; an element is unknown where
    any Partial operand of its row is unknown. `flat`: operands may be nested in lists (numpy
    functions); results must keep the rows."""
    found = []

    def plain(value):
        if isinstance(value, Partial):
            found.append(value)
            return value.lo if value.enum is None else _enum_view(value)
        if flat and isinstance(value, (list, tuple)):
            return type(value)(plain(v) for v in value)
        return value

    args = [plain(v) for v in operands]
    result = function(*args)
    if not found:
        return result
    if not isinstance(result, np.ndarray) or result.ndim == 0:
        raise Unsupported("a function of partially known values that does not keep the rows")
    n = _rows(found[0].shape)
    if result.shape[0] != n:
        raise Unsupported("a function of partially known values that does not keep the rows")
    unknown = np.zeros(n, bool)
    for value in found:
        if _rows(value.shape) != n:
            raise Unsupported("operands with different numbers of rows")
        unknown |= value.open_rows()
    if not unknown.any():
        return result
    enum = getattr(result, "possible_values", None)
    out = Partial.top_where(result.view(np.ndarray) if enum is not None else result, unknown, enum=enum)
    if isinstance(out, Partial):
        out.why = _union_why(out.open_rows(), found, n)
    return out


def _enum_view(value: Partial):
    from openfisca_core.indexed_enums import EnumArray
    return EnumArray(value.lo, value.enum)


def strict_rows(function, *operands):
    """Call `function` on the placeholders of its operands and mark unknown every row in which an
    operand is unknown (for row-wise code such as sorting a case's installments)."""
    return _strict(function, operands, flat=True)


# -- elementwise operations -------------------------------------------------------------------------------
def _unary_monotone(increasing: bool, op):
    def apply(x, **kwargs):
        if not isinstance(x, Partial) or x.enum is not None:
            return _strict(lambda v: op(v, **kwargs), (x,))
        with np.errstate(all="ignore"):
            plain = op(x.lo, **kwargs)
            a, b = op(x.lo, **kwargs), op(x.hi, **kwargs)
        lo, hi = (a, b) if increasing else (b, a)
        return _finish(lo, hi, plain, x.known, (x,))
    return apply


def _binary_monotone(sign_a: int, sign_b: int, op):
    """op increasing (+1) or decreasing (−1) in each argument."""
    def apply(a, b, **kwargs):
        if (isinstance(a, Partial) and a.enum is not None) or (isinstance(b, Partial) and b.enum is not None):
            return _strict(lambda x, y: op(x, y, **kwargs), (a, b))
        alo, ahi, _, _, _ = _parts(a)
        blo, bhi, _, _, _ = _parts(b)
        a_low, a_high = (alo, ahi) if sign_a > 0 else (ahi, alo)
        b_low, b_high = (blo, bhi) if sign_b > 0 else (bhi, blo)
        with np.errstate(all="ignore"):
            plain = op(alo, blo, **kwargs)
            lo = op(a_low, b_low, **kwargs)
            hi = op(a_high, b_high, **kwargs)
        return _finish(lo, hi, plain, _all_known(a, b), (a, b))
    return apply


def _logical(op):
    """and / or on booleans: increasing in both (Kleene); bitwise ops on integers are strict."""
    monotone = _binary_monotone(1, 1, op)

    def apply(a, b, **kwargs):
        alo = _parts(a)[0]
        blo = _parts(b)[0]
        if alo.dtype == np.bool_ and blo.dtype == np.bool_:
            return monotone(a, b, **kwargs)
        return _strict(lambda x, y: op(x, y, **kwargs), (a, b))
    return apply


def _invert(x, **kwargs):
    if isinstance(x, Partial) and x.lo.dtype == np.bool_:
        return _finish(~x.hi, ~x.lo, ~x.lo, x.known, (x,))
    return _strict(lambda v: np.invert(v, **kwargs), (x,))


def _multiply(a, b, **kwargs):
    alo, ahi, _, _, ae = _parts(a)
    blo, bhi, _, _, be = _parts(b)
    if ae is not None or be is not None:
        return _strict(lambda x, y: np.multiply(x, y, **kwargs), (a, b))
    with np.errstate(all="ignore"):
        plain = np.multiply(alo, blo, **kwargs)
        if alo.dtype == np.bool_ and blo.dtype == np.bool_:
            return _logical(np.logical_and)(a, b)
        corners = [np.multiply(x, y, **kwargs) for x in (alo, ahi) for y in (blo, bhi)]
        if corners[0].dtype.kind == "f":
            corners = [np.where(np.isnan(c), np.nan, c) for c in corners]
        lo = np.minimum.reduce(corners)
        hi = np.maximum.reduce(corners)
    return _finish(lo, hi, plain, _all_known(a, b), (a, b))


def _divide(op):
    def apply(a, b, **kwargs):
        alo, ahi, _, _, ae = _parts(a)
        blo, bhi, _, _, be = _parts(b)
        if ae is not None or be is not None:
            return _strict(lambda x, y: op(x, y, **kwargs), (a, b))
        with np.errstate(all="ignore"):
            plain = op(alo, blo, **kwargs)
            excludes_zero = (blo > 0) | (bhi < 0)
            corners = [op(x, y, **kwargs) for x in (alo, ahi) for y in (blo, bhi)]
            lo = np.minimum.reduce(corners)
            hi = np.maximum.reduce(corners)
        lo_top, hi_top = _top(np.asarray(lo).dtype)
        lo = np.where(excludes_zero, lo, lo_top)
        hi = np.where(excludes_zero, hi, hi_top)
        return _finish(lo, hi, plain, _all_known(a, b), (a, b))
    return apply


def _compare(op):
    """< <= > >=: decided where the intervals do not overlap."""
    def apply(a, b, **kwargs):
        alo, ahi, _, _, ae = _parts(a)
        blo, bhi, _, _, be = _parts(b)
        if ae is not None or be is not None:
            return _strict(lambda x, y: op(x, y, **kwargs), (a, b))
        with np.errstate(all="ignore"):
            plain = op(alo, blo)
            if op in (np.less, np.less_equal):
                sure = op(ahi, blo)          # every a below every b
                maybe = op(alo, bhi)         # some a below some b
            else:
                sure = op(alo, bhi)
                maybe = op(ahi, blo)
        return _finish(sure, maybe, plain, _all_known(a, b), (a, b))
    return apply


def _equality(negate: bool):
    def apply(a, b, **kwargs):
        alo, ahi, ak, _, ae = _parts(a)
        blo, bhi, bk, _, be = _parts(b)
        op = np.not_equal if negate else np.equal
        all_known = _all_known(a, b)
        with np.errstate(all="ignore"):
            plain = op(alo, blo)
            if ae is not None or be is not None or alo.dtype.kind in "OUS":
                # unordered (enum codes, strings): known only where both sides are
                lo = np.where(all_known, plain, False)
                hi = np.where(all_known, plain, True)
            else:
                disjoint = (ahi < blo) | (bhi < alo)
                lo = disjoint if negate else np.zeros(np.shape(plain), bool)
                hi = np.ones(np.shape(plain), bool) if negate else ~disjoint
        return _finish(np.asarray(lo, bool), np.asarray(hi, bool), plain, all_known, (a, b))
    return apply


def _isnan(x, **kwargs):
    if isinstance(x, Partial) and x.lo.dtype.kind == "f":
        # an unknown element is bounded by finite-or-infinite numbers: only a known NaN is NaN
        plain = np.isnan(x.lo)
        return _finish(np.where(x.known, plain, False), np.where(x.known, plain, False), plain, x.known, (x,))
    return _strict(lambda v: np.isnan(v, **kwargs), (x,))


_UFUNCS = {
    np.add: _binary_monotone(1, 1, np.add),
    np.subtract: _binary_monotone(1, -1, np.subtract),
    np.multiply: _multiply,
    np.true_divide: _divide(np.true_divide),
    np.floor_divide: _divide(np.floor_divide),
    np.maximum: _binary_monotone(1, 1, np.maximum),
    np.minimum: _binary_monotone(1, 1, np.minimum),
    np.fmax: _binary_monotone(1, 1, np.fmax),
    np.fmin: _binary_monotone(1, 1, np.fmin),
    np.logical_and: _logical(np.logical_and),
    np.logical_or: _logical(np.logical_or),
    np.bitwise_and: _logical(np.bitwise_and),
    np.bitwise_or: _logical(np.bitwise_or),
    np.logical_not: _invert,
    np.invert: _invert,
    np.negative: _unary_monotone(False, np.negative),
    np.positive: _unary_monotone(True, np.positive),
    np.floor: _unary_monotone(True, np.floor),
    np.ceil: _unary_monotone(True, np.ceil),
    np.rint: _unary_monotone(True, np.rint),
    np.trunc: _unary_monotone(True, np.trunc),
    np.less: _compare(np.less),
    np.less_equal: _compare(np.less_equal),
    np.greater: _compare(np.greater),
    np.greater_equal: _compare(np.greater_equal),
    np.equal: _equality(False),
    np.not_equal: _equality(True),
    np.isnan: _isnan,
}


# -- numpy functions -------------------------------------------------------------------------------------
def _where(condition, x=None, y=None):
    if x is None and y is None:
        raise Unsupported("np.where with one argument")
    clo, chi, _, _, _ = _parts(condition)
    if clo.dtype != np.bool_:
        clo, chi = clo.astype(bool), chi.astype(bool)
    xlo, xhi, xk, _, xe = _parts(x)
    ylo, yhi, yk, _, ye = _parts(y)
    plain = np.where(clo, xlo, ylo)
    c_true, c_false = clo, ~chi               # known true / known false
    enum = xe if xe is not None else ye
    if enum is not None or plain.dtype.kind in "OUS":
        xk = np.ones(np.shape(xlo), bool) if xk is None else xk
        yk = np.ones(np.shape(ylo), bool) if yk is None else yk
        same = np.broadcast_to(xk & yk & (xlo == ylo), plain.shape)
        known = np.where(c_true, xk, np.where(c_false, yk, same))
        n = _rows(plain.shape)
        out = Partial(plain, plain, np.broadcast_to(known, plain.shape).copy(), None, enum)
        if not out.known.all():
            out.why = _why_where(out.open_rows(), condition, x, y, c_true, c_false, n)
        return _collapse(out)
    with np.errstate(all="ignore"):
        lo = np.where(c_true, xlo, np.where(c_false, ylo, np.minimum(xlo, ylo)))
        hi = np.where(c_true, xhi, np.where(c_false, yhi, np.maximum(xhi, yhi)))
    lo = np.asarray(lo, dtype=plain.dtype)
    hi = np.asarray(hi, dtype=plain.dtype)
    all_known = _all_known(condition, x, y)
    if all_known is True or all_known.any():
        lo = np.where(all_known, plain, lo)
        hi = np.where(all_known, plain, hi)
        known = _eq(lo, hi) | all_known
    else:
        known = _eq(lo, hi)
    if lo.dtype.kind == "f":
        bad = ~known & (np.isnan(lo) | np.isnan(hi))
        if bad.any():
            lo = np.where(bad, -np.inf, lo)
            hi = np.where(bad, np.inf, hi)
    out = Partial(lo, hi, known)
    if not known.all():
        out.why = _why_where(out.open_rows(), condition, x, y, c_true, c_false, _rows(lo.shape))
    return _collapse(out)


def _why_where(result_open, condition, x, y, c_true, c_false, n):
    """A branch's reasons count only where the condition can select it."""
    def rows_of(mask):
        mask = np.asarray(mask, bool)
        if mask.ndim == 0:
            return np.broadcast_to(mask, (n,))
        return mask.reshape(mask.shape[0], -1).any(axis=1) if mask.ndim > 1 else np.broadcast_to(mask, (n,))
    parts = [(condition, None), (x, rows_of(~c_false)), (y, rows_of(~c_true))]
    width = 0
    for value, _ in parts:
        if isinstance(value, Partial) and value.why is not None:
            width = max(width, value.why.shape[1])
    if not width:
        return None
    out = np.zeros((n, width), np.uint64)
    for value, selectable in parts:
        if not isinstance(value, Partial) or value.why is None:
            continue
        rows = value.open_rows()
        if rows.shape[0] == 1:
            rows = np.broadcast_to(rows, (n,))
        if selectable is not None:
            rows = rows & selectable
        why = value.why
        if why.shape[1] < width:
            why = np.pad(why, ((0, 0), (0, width - why.shape[1])))
        out |= np.where((rows & result_open)[:, None], why, np.uint64(0))
    return out


def _select(condlist, choicelist, default=0):
    result = default
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        result = _where(condition, choice, result)
    if not isinstance(result, (Partial, np.ndarray)):
        result = np.asarray(result)
    return result


def _isin(element, test_elements, assume_unique=False, invert=False, **kwargs):
    if not isinstance(element, Partial):
        return np.isin(element, test_elements, assume_unique=assume_unique, invert=invert, **kwargs)
    values = [v.index if isinstance(v, pyenum.Enum) else v
              for v in (list(test_elements) if not isinstance(test_elements, np.ndarray) else test_elements)]
    values = np.asarray(values)
    plain = np.isin(element.lo, values, invert=invert)
    if element.enum is not None or element.lo.dtype.kind in "OUS" or values.size == 0:
        lo = np.where(element.known, plain, False if values.size else invert)
        hi = np.where(element.known, plain, True if values.size else invert)
    else:
        flat = np.sort(values.ravel())
        # some test value inside [lo, hi]?
        first = np.searchsorted(flat, element.lo, side="left")
        inside = (first < len(flat)) & (flat[np.minimum(first, len(flat) - 1)] <= element.hi)
        lo = np.zeros(plain.shape, bool) if not invert else ~inside
        hi = inside if not invert else np.ones(plain.shape, bool)
    return _finish(np.asarray(lo, bool), np.asarray(hi, bool), plain, element.known, (element,))


def _clip(a, a_min=None, a_max=None, **kwargs):
    result = a
    if a_min is not None:
        result = np.maximum(result, a_min)
    if a_max is not None:
        result = np.minimum(result, a_max)
    return result


def _round(a, decimals=0, out=None):
    if out is not None:
        raise Unsupported("round with out=")
    return _unary_monotone(True, lambda v: np.round(v, decimals))(a)


def _nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not isinstance(x, Partial):
        return np.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
    plain = np.nan_to_num(x.lo, nan=nan, posinf=posinf, neginf=neginf)
    if x.lo.dtype.kind != "f":
        return x
    # unknown elements keep their (non-NaN) bounds, infinities included
    lo = np.where(x.known, plain, x.lo)
    hi = np.where(x.known, np.nan_to_num(x.hi, nan=nan, posinf=posinf, neginf=neginf), x.hi)
    return _finish(lo, hi, plain, x.known, (x,))


def _broadcast_to(array, shape, subok=False):
    if not isinstance(array, Partial):
        return np.broadcast_to(array, shape, subok=subok)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    if array.shape[:1] != shape[:1] and array.shape[0] != 1:
        raise Unsupported("broadcasting that changes the rows")
    lo = np.broadcast_to(array.lo, shape)
    why = array.why
    if why is not None and array.shape[0] == 1 and shape[0] != 1:
        why = np.broadcast_to(why, (shape[0], why.shape[1]))
    return Partial(lo, np.broadcast_to(array.hi, shape), np.broadcast_to(array.known, shape), why, array.enum)


def _stack_like(combine):
    def apply(arrays, axis=0, **kwargs):
        arrays = list(arrays)
        if not any(isinstance(a, Partial) for a in arrays):
            return combine(arrays, axis=axis, **kwargs)
        if axis == 0 or axis is None:
            raise Unsupported("stacking partially known values along the rows")
        parts = [_parts(a) for a in arrays]
        enum = next((p[4] for p in parts if p[4] is not None), None)
        lo = combine([p[0] for p in parts], axis=axis)
        hi = combine([p[1] for p in parts], axis=axis)
        known = combine([np.broadcast_to(p[2], np.shape(p[0])) if p[2] is not None else
                         np.ones(np.shape(p[0]), bool) for p in parts], axis=axis)
        n = _rows(lo.shape)
        out = Partial(lo, hi, known, None, enum)
        out.why = _union_why(out.open_rows(), arrays, n)
        return _collapse(out)
    return apply


def _like(function):
    def apply(prototype, *args, **kwargs):
        return function(np.shape(lo_of(prototype)), *args, **{k: v for k, v in kwargs.items() if k != "subok"},
                        **({} if "dtype" in kwargs else {"dtype": lo_of(prototype).dtype}))
    return apply


def _full_like(prototype, fill_value, dtype=None, **kwargs):
    return np.full(np.shape(lo_of(prototype)), fill_value, dtype=dtype or lo_of(prototype).dtype)


def _reduce(ufunc, array: Partial, axis):
    if axis is None or axis == 0 or (isinstance(axis, tuple) and 0 in axis) or array.ndim < 2:
        raise Unsupported(f"{ufunc.__name__} across the rows of a partially known value")
    if array.enum is not None:
        raise Unsupported("reducing enum codes")
    lo_in, hi_in = array.lo, array.hi
    if ufunc is np.add and lo_in.dtype == np.bool_:
        lo_in, hi_in = lo_in.astype(np.int64), hi_in.astype(np.int64)
    with np.errstate(all="ignore"):
        plain = ufunc.reduce(array.lo if not (ufunc is np.add and array.lo.dtype == np.bool_)
                             else array.lo.astype(np.int64), axis=axis)
        lo = ufunc.reduce(lo_in, axis=axis)
        hi = ufunc.reduce(hi_in, axis=axis)
    all_known = np.logical_and.reduce(array.known, axis=axis)
    return _finish(lo, hi, plain, all_known, (array,))


def _sum(a, axis=None, **kwargs):
    return a.sum(axis=axis) if isinstance(a, Partial) else np.sum(a, axis=axis, **kwargs)


def _any(a, axis=None, **kwargs):
    return a.any(axis=axis) if isinstance(a, Partial) else np.any(a, axis=axis, **kwargs)


def _all(a, axis=None, **kwargs):
    return a.all(axis=axis) if isinstance(a, Partial) else np.all(a, axis=axis, **kwargs)


def _amax(a, axis=None, **kwargs):
    return a.max(axis=axis) if isinstance(a, Partial) else np.max(a, axis=axis, **kwargs)


def _amin(a, axis=None, **kwargs):
    return a.min(axis=axis) if isinstance(a, Partial) else np.min(a, axis=axis, **kwargs)


def _searchsorted(a, v, side="left", sorter=None):
    if isinstance(a, Partial):
        raise Unsupported("searching in partially known values")
    op = (lambda x: np.searchsorted(a, x, side=side, sorter=sorter))
    if not isinstance(v, Partial):
        return op(v)
    return _unary_monotone(True, op)(v)          # non-decreasing in the searched values


def _shape(a):
    return np.shape(lo_of(a))


def _ndim(a):
    return np.ndim(lo_of(a))


def _copy(a, *args, **kwargs):
    return a.copy() if isinstance(a, Partial) else np.copy(a, *args, **kwargs)


def _count_nonzero(a, axis=None, **kwargs):
    if isinstance(a, Partial):
        return (a != 0).astype(np.int64).sum(axis=axis) if a.dtype != np.bool_ else a.astype(np.int64).sum(axis=axis)
    return np.count_nonzero(a, axis=axis, **kwargs)


_FUNCTIONS = {
    np.where: _where,
    np.select: _select,
    np.isin: _isin,
    np.clip: _clip,
    np.round: _round,
    np.around: _round,
    np.nan_to_num: _nan_to_num,
    np.broadcast_to: _broadcast_to,
    np.stack: _stack_like(np.stack),
    np.concatenate: _stack_like(np.concatenate),
    np.column_stack: _stack_like(lambda arrays, axis=1: np.column_stack(arrays)),
    np.full_like: _full_like,
    np.zeros_like: lambda p, *a, **k: np.zeros(np.shape(lo_of(p)), dtype=k.get("dtype") or lo_of(p).dtype),
    np.ones_like: lambda p, *a, **k: np.ones(np.shape(lo_of(p)), dtype=k.get("dtype") or lo_of(p).dtype),
    np.empty_like: lambda p, *a, **k: np.zeros(np.shape(lo_of(p)), dtype=k.get("dtype") or lo_of(p).dtype),
    np.sum: _sum,
    np.any: _any,
    np.all: _all,
    np.max: _amax,
    np.min: _amin,
    np.amax: _amax,
    np.amin: _amin,
    np.searchsorted: _searchsorted,
    np.shape: _shape,
    np.ndim: _ndim,
    np.copy: _copy,
    np.count_nonzero: _count_nonzero,
    np.size: lambda a, axis=None: np.size(lo_of(a), axis),
    np.maximum.reduce: None,
}
_FUNCTIONS.pop(np.maximum.reduce)


def spread(n: int, index: np.ndarray, values, fill):
    """An n-row array holding `values` (rows `index`) and `fill` elsewhere (known)."""
    if not isinstance(values, Partial):
        values = np.asarray(values)
        out = np.full((n,) + values.shape[1:], fill, dtype=values.dtype)
        out[index] = values
        return out
    shape = (n,) + values.shape[1:]
    lo = np.full(shape, fill, dtype=values.dtype)
    hi = lo.copy()
    known = np.ones(shape, bool)
    lo[index], hi[index], known[index] = values.lo, values.hi, values.known
    why = None
    if values.why is not None:
        why = np.zeros((n, values.why.shape[1]), np.uint64)
        why[index] = values.why if values.why.shape[0] > 1 else np.broadcast_to(values.why, (len(index), values.why.shape[1]))
    return Partial(lo, hi, known, why, values.enum)


# -- lifting plain helpers -----------------------------------------------------------------------------------
def monotone(*signs: int):
    """Decorate a vectorised helper that is monotone in each positional argument (+1 increasing,
    −1 decreasing, 0 not monotone): given Partial arguments it is computed on the bounds (strictly
    for a 0 argument). Keyword arguments and non-Partial arguments pass through unchanged."""
    def wrap(function):
        def lifted(*args, **kwargs):
            if not any(isinstance(a, Partial) for a in args):
                return function(*args, **kwargs)
            if any(isinstance(a, Partial) and (i >= len(signs) or signs[i] == 0 or a.enum is not None)
                   for i, a in enumerate(args)):
                return _strict(lambda *plain: function(*plain, **kwargs), args)
            low, high, plain_args = [], [], []
            for i, a in enumerate(args):
                lo, hi, _, _, _ = _parts(a) if isinstance(a, Partial) else (a, a, None, None, None)
                low.append(lo if signs[i] > 0 else hi)
                high.append(hi if signs[i] > 0 else lo)
                plain_args.append(lo)
            with np.errstate(all="ignore"):
                plain = np.asarray(function(*plain_args, **kwargs))
                lo = np.asarray(function(*low, **kwargs))
                hi = np.asarray(function(*high, **kwargs))
            return _finish(lo, hi, plain, _all_known(*args), args)
        lifted.__wrapped__ = function
        lifted.__name__ = function.__name__
        lifted.__doc__ = function.__doc__
        return lifted
    return wrap


def lift_elementwise(function):
    """Decorate an elementwise helper that is not monotone (e.g. a lookup): strict on Partials."""
    def lifted(*args, **kwargs):
        if not any(isinstance(a, Partial) for a in args):
            return function(*args, **kwargs)
        return _strict(lambda *plain: function(*plain, **kwargs), args)
    lifted.__wrapped__ = function
    lifted.__name__ = function.__name__
    lifted.__doc__ = function.__doc__
    return lifted
