"""numpy functions on partially known values: where, select, isin, stacking, reductions along a
row, searchsorted; `spread`."""

from __future__ import annotations

import enum as pyenum

import numpy as np

from .core import (Partial, Unsupported, _FUNCTIONS, _all_known, _broadcast, _collapse, _count_nonzero as _nonzero,
                   _eq, _every, _finish, _parts, _rows, _union_why, asarray, lo_of, open_rows)
from .ops import _unary_monotone


# -- numpy functions -------------------------------------------------------------------------------------
def _where(condition, x=None, y=None):
    """The selected branch where the condition is known; the hull of both branches where it is not
    (computed on those elements only)."""
    if x is None and y is None:
        raise Unsupported("np.where with one argument")
    if not isinstance(condition, Partial):
        return _where_known(np.asarray(condition, dtype=bool), x, y)
    clo, chi, _, _, _ = _parts(condition)
    if clo.dtype != np.bool_:
        clo, chi = clo.astype(bool), chi.astype(bool)
    xlo, xhi, xk, _, xe = _parts(x)
    ylo, yhi, yk, _, ye = _parts(y)
    enum = xe if xe is not None else ye
    lo = np.where(clo, xlo, ylo)
    shape = lo.shape
    hi = np.where(clo, xhi, yhi).astype(lo.dtype, copy=False)
    known = np.array(_broadcast(np.where(clo, True if xk is None else xk, True if yk is None else yk), shape))
    undecided = _broadcast(clo != chi, shape)
    count = _nonzero(undecided)
    if count == undecided.size:    # every element undecided (an open single case): the whole arrays,
        at = Ellipsis              # broadcast by numpy as they are combined and assigned
        pick = lambda v: v                                                     # noqa: E731
    elif count:
        at = np.nonzero(undecided)
        pick = lambda v: _broadcast(v, shape)[at]                              # noqa: E731
    if count:
        kx = True if xk is None else pick(xk)
        ky = True if yk is None else pick(yk)
        if enum is not None or lo.dtype.kind in "OUS":
            known[at] = kx & ky & (pick(xlo) == pick(ylo))
        else:
            with np.errstate(all="ignore"):
                low = np.minimum(pick(xlo), pick(ylo)).astype(lo.dtype, copy=False)
                high = np.maximum(pick(xhi), pick(yhi)).astype(lo.dtype, copy=False)
            point = kx & ky & _eq(low, high)
            if lo.dtype.kind == "f":
                bad = ~point & (np.isnan(low) | np.isnan(high))
                low = np.where(bad, -np.inf, low)
                high = np.where(bad, np.inf, high)
            lo[at], hi[at], known[at] = low, high, point
    out = Partial(lo, hi, known, None, enum)
    if not known.all():
        out.why = _why_where(out.open_rows(), condition, x, y, clo, ~chi, _rows(shape))
    return _collapse(out)


def _where_known(c, x, y):
    """np.where with a known condition: each element is the selected branch's, bounds and all (three
    passes over the arrays instead of the hull's ten)."""
    xlo, xhi, xk, _, xe = _parts(x)
    ylo, yhi, yk, _, ye = _parts(y)
    lo = np.where(c, xlo, ylo)
    hi = lo if xhi is xlo and yhi is ylo else np.where(c, xhi, yhi)
    if hi.dtype != lo.dtype:
        hi = hi.astype(lo.dtype)
    known = np.where(c, True if xk is None else xk, True if yk is None else yk)
    known = _broadcast(known, lo.shape)
    if known.all():
        return _collapse(Partial(lo, lo, np.ones(lo.shape, bool), None, xe if xe is not None else ye))
    out = Partial(lo, hi, known.copy(), None, xe if xe is not None else ye)
    out.why = _why_where(out.open_rows(), c, x, y, c, ~c, _rows(lo.shape))
    return _collapse(out)


def _why_where(result_open, condition, x, y, c_true, c_false, n):
    """A branch's reasons count only where the condition can select it."""
    def rows_of(mask):
        mask = np.asarray(mask, bool)
        if mask.ndim == 0:
            return np.broadcast_to(mask, (n,))
        return mask.reshape(mask.shape[0], -1).any(axis=1) if mask.ndim > 1 else _broadcast(mask, (n,))
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
            rows = _broadcast(rows, (n,))
        if selectable is not None:
            rows = rows & selectable
        why = value.why
        keep = rows & result_open
        if _every(keep):                 # (an open single case) the reasons as they are
            out[:, :why.shape[1]] |= why
        elif _nonzero(keep):
            out[:, :why.shape[1]] |= np.where(keep[:, None], why, np.uint64(0))
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
    if x.lo.dtype.kind != "f":
        return x
    # only known elements change (an unknown element's bounds are never NaN and keep their infinities)
    special = x.known & ~np.isfinite(x.lo)
    if not special.any():
        return x
    fixed = np.nan_to_num(x.lo, nan=nan, posinf=posinf, neginf=neginf)
    lo = np.where(special, fixed, x.lo)
    hi = np.where(special, fixed, x.hi)
    return Partial(lo, hi, x.known, x.why, x.enum)


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
        known = combine([_broadcast(p[2], np.shape(p[0])) if p[2] is not None else
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


_FUNCTIONS.update({
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
})


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
