"""The interval array `Partial`, its array protocol and the helpers every operation shares (the
package's docstring explains the semantics)."""

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

    # the operators (==, <, &, + …) are installed by .ops: each calls its ufunc's handler directly
    __hash__ = None

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
    if type(value) is np.ndarray:
        return value, value, None, None, None
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
    if not parts or result_open is None or not _any(result_open):
        return None
    if n == 1 and result_open.shape == (1,):
        try:
            return _union_why_one_row(parts)
        except _NotOneRow:
            pass
    if len(parts) == 1:              # one operand with reasons: the result is open only where it is
        why = parts[0][0]
        if _every(result_open) and why.shape[0] == n:
            return why
        if why.shape[0] == 1 and n > 1:
            why = np.broadcast_to(why, (n, why.shape[1]))
        if why.shape[0] == n:
            return np.where(result_open[:, None], why, np.uint64(0))
    out = None
    for why, rows in parts:
        if rows.shape[0] != n:
            if rows.shape[0] == 1:
                rows = np.broadcast_to(rows, (n,))
            else:
                raise Unsupported("operands with different numbers of rows")
        keep = rows & result_open
        part = why if _every(keep) else np.where(keep[:, None], why, np.uint64(0))
        if out is None:
            out = part
            continue
        if out.shape[1] < part.shape[1]:
            out, part = part, out
        if out.shape[1] == part.shape[1]:
            out = out | part
        else:                        # reasons of different widths: OR-ed into place
            out = np.array(np.broadcast_to(out, (n, out.shape[1])))
            out[:, :part.shape[1]] |= part
    if out.shape[0] != n:
        out = np.array(np.broadcast_to(out, (n, out.shape[1])))
    return out


def _union_why_one_row(parts):
    """_union_why of a one-row result that is open (a single case): each operand's reasons kept
    where that operand is open, OR-ed as arrays (no row masks), as wide as the widest operand's."""
    if len(parts) == 1 and parts[0][0].shape[0] == 1:
        return parts[0][0]
    out, width = None, 0
    for why, rows in parts:
        if rows.shape != (1,) or why.shape[0] != 1 or why.ndim != 2:
            raise _NotOneRow
        width = max(width, why.shape[1])
        if not rows[0] or why is out:
            continue
        if out is None:
            out = why
        elif out.shape[1] == why.shape[1]:
            out = out | why
        else:                        # reasons of different widths: the narrower OR-ed into the wider
            wide, narrow = (out, why) if out.shape[1] > why.shape[1] else (why, out)
            out = wide.copy()
            out[:, :narrow.shape[1]] |= narrow
    if out is None:
        return np.zeros((1, width), np.uint64)
    if out.shape[1] < width:
        out = np.concatenate([out, np.zeros((1, width - out.shape[1]), np.uint64)], axis=1)
    return out


class _NotOneRow(Exception):
    """An operand of a one-row result with other numbers of rows (the general path decides)."""


def _broadcast(array: np.ndarray, shape: tuple) -> np.ndarray:
    """np.broadcast_to for arrays that are only read: the array itself where it has the shape
    already (np.broadcast_to costs several microseconds even then)."""
    return array if array.shape == shape else np.broadcast_to(array, shape)


try:            # numpy's count_nonzero without its array-function dispatch (a tenth of the call)
    from numpy._core._multiarray_umath import count_nonzero as _count_nonzero
except ImportError:                      # pragma: no cover - another numpy layout
    _count_nonzero = np.count_nonzero


def _every(mask: np.ndarray) -> bool:
    """mask.all() of a boolean array (count_nonzero: a fraction of the reduction's overhead on a few rows)."""
    return _count_nonzero(mask) == mask.size


def _any(mask: np.ndarray) -> bool:
    return _count_nonzero(mask) > 0


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
    if all_known is True or _any(all_known):
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
    return _result(lo, hi, known, operands)


def _result(lo, hi, known, operands):
    """A result known where `known` (a plain array where it is known everywhere), with the
    operands' reasons where it is open."""
    if not lo.ndim:
        raise Unsupported("a 0-d result")
    if _every(known):
        return lo
    result = _new(lo, hi, known)
    result.why = _union_why(~known if known.ndim == 1 else result.open_rows(), operands, lo.shape[0])
    return result


def _new(lo: np.ndarray, hi: np.ndarray, known: np.ndarray, why=None, enum=None) -> Partial:
    """Partial(lo, hi, known, why, enum) of arrays already made (`known` a boolean array): without
    the constructor's conversions."""
    out = object.__new__(Partial)
    out.lo, out.hi, out.known, out.why, out.enum = lo, hi, known, why, enum
    return out


def _all_known(*operands):
    """The elements known in every Partial operand (True: no Partial operand)."""
    out = True
    for value in operands:
        if isinstance(value, Partial):
            out = value.known if out is True else out & value.known
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



# filled by .ops (ufuncs) and .functions (numpy functions)
_UFUNCS: dict = {}
_FUNCTIONS: dict = {}
