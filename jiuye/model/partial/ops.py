"""Elementwise operations (numpy ufuncs) on partially known values: sound enclosures."""

from __future__ import annotations

import enum as pyenum

import numpy as np

from .core import (Partial, _UFUNCS, _all_known, _any, _every, _finish, _parts, _result, _strict, _top, asarray)


# -- elementwise operations -------------------------------------------------------------------------------
def _unary_monotone(increasing: bool, op):
    def apply(x, **kwargs):
        if not isinstance(x, Partial) or x.enum is not None:
            return _strict(lambda v: op(v, **kwargs), (x,))
        with np.errstate(all="ignore"):
            a, b = op(x.lo, **kwargs), op(x.hi, **kwargs)
        lo, hi = (a, b) if increasing else (b, a)
        return _finish(lo, hi, a, x.known, (x,))
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
            lo = op(a_low, b_low, **kwargs)
            plain = lo if sign_a > 0 and sign_b > 0 else op(alo, blo, **kwargs)
            hi = op(a_high, b_high, **kwargs)
        return _finish(lo, hi, plain, _all_known(a, b), (a, b))
    return apply


def _logical(op):
    """and / or on booleans: increasing in both (Kleene); bitwise ops on integers are strict."""
    def apply(a, b, **kwargs):
        alo, ahi, _, _, _ = _parts(a)
        blo, bhi, _, _, _ = _parts(b)
        if alo.dtype == np.bool_ and blo.dtype == np.bool_ and not kwargs:
            # a boolean's known elements are points (lo == hi), so the bounds' results are the
            # exact result where both sides are known and the enclosure elsewhere
            lo, hi = op(alo, blo), op(ahi, bhi)
            return _result(lo, hi, lo == hi, (a, b))
        if alo.dtype == np.bool_ and blo.dtype == np.bool_:
            return _binary_monotone(1, 1, op)(a, b, **kwargs)
        return _strict(lambda x, y: op(x, y, **kwargs), (a, b))
    return apply


def kleene(values, n: int, conjunction: bool):
    """`ones(n) & v1 & v2 …` (conjunction) or `zeros(n) | v1 | v2 …` of booleans in one pass: the
    same values and reasons as the chain of operators (the bounds of a chain are the chains of
    the bounds; an open result row is open through exactly the operands open in it)."""
    op = np.logical_and if conjunction else np.logical_or
    partial, rows, decided = False, True, False
    bounds = []
    for value in values:
        if isinstance(value, Partial):
            vlo, vhi = value.lo, value.hi
            partial = True
        else:
            vlo = vhi = _parts(value)[0]
            if not decided and vlo.shape == (n,):
                # a known operand false everywhere (all_of) or true everywhere (any_of) decides it
                decided = not _any(vlo) if conjunction else _every(vlo)
        if vlo.dtype != np.bool_:
            partial = False
            break
        rows = rows and vlo.shape == (n,)
        bounds.append((vlo, vhi))
    if not partial:
        result = np.ones(n, dtype=bool) if conjunction else np.zeros(n, dtype=bool)
        for value in values:
            result = (result & value) if conjunction else (result | value)
        return result
    if decided and rows:       # every bound is that value: the chain's known, plain result
        return np.zeros(n, dtype=bool) if conjunction else np.ones(n, dtype=bool)
    if n == 1 and rows:        # one row (a single case): the chain of the bounds on Python booleans
        lo = hi = conjunction
        for vlo, vhi in bounds:
            lo, hi = (lo and bool(vlo[0]), hi and bool(vhi[0])) if conjunction else \
                (lo or bool(vlo[0]), hi or bool(vhi[0]))
        lo, hi = np.array([lo]), np.array([hi])
    else:
        lo = hi = np.ones(n, dtype=bool) if conjunction else np.zeros(n, dtype=bool)
        for vlo, vhi in bounds:
            lo, hi = op(lo, vlo), op(hi, vhi)
    return _result(lo, hi, lo == hi, values)


def _invert(x, **kwargs):
    if isinstance(x, Partial) and x.lo.dtype == np.bool_ and not kwargs:
        return _result(~x.hi, ~x.lo, x.lo == x.hi, (x,))
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
        all_known = _all_known(a, b)
        # the exact result counts only where both sides are known (none: a single open case)
        plain = op(alo, blo) if all_known is True or _any(all_known) else None
        if op in (np.less, np.less_equal):
            sure = op(ahi, blo)          # every a below every b
            maybe = op(alo, bhi)         # some a below some b
        else:
            sure = op(alo, bhi)
            maybe = op(ahi, blo)
        return _finish(sure, maybe, plain, all_known, (a, b))
    return apply


def _equality(negate: bool):
    def apply(a, b, **kwargs):
        alo, ahi, ak, _, ae = _parts(a)
        blo, bhi, bk, _, be = _parts(b)
        op = np.not_equal if negate else np.equal
        all_known = _all_known(a, b)
        plain = op(alo, blo)             # (comparisons raise no floating-point errors)
        if ae is not None or be is not None or alo.dtype.kind in "OUS":
            # unordered (enum codes, strings): known only where both sides are
            # np.where(all_known, plain, False) and np.where(all_known, plain, True), in fewer passes
            lo = plain if all_known is True else plain & all_known
            hi = plain if all_known is True else plain | ~all_known
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


_UFUNCS.update({
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
})


# -- operators -------------------------------------------------------------------------------------------
def _opts_out(other) -> bool:
    """NDArrayOperatorsMixin's test of the other operand (__array_ufunc__ = None: it takes over); an
    Enum member is taken as its index, as the handlers take it (`_parts`), without looking its
    special attributes up on the Enum class (whose __getattr__ raises for each)."""
    if type(other) is np.ndarray or isinstance(other, (Partial, pyenum.Enum)):
        return False
    return getattr(other, "__array_ufunc__", False) is None


def _binary_operator(ufunc, reflected: bool):
    """The mixin's operator without numpy's dispatch: the ufunc's handler, called as Partial's
    __array_ufunc__ calls it (a Partial operand's own __array_ufunc__ is the one numpy would call: no
    operand type here overrides ufuncs, or outranks a Partial)."""
    handler = _UFUNCS[ufunc]

    def operator(self, other):
        if _opts_out(other):
            return NotImplemented
        return handler(other, self) if reflected else handler(self, other)
    return operator


def _unary_operator(ufunc):
    handler = _UFUNCS[ufunc]
    return lambda self: handler(self)


for _name, _ufunc in (("lt", np.less), ("le", np.less_equal), ("eq", np.equal), ("ne", np.not_equal),
                      ("gt", np.greater), ("ge", np.greater_equal)):
    setattr(Partial, f"__{_name}__", _binary_operator(_ufunc, False))
for _name, _ufunc in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("truediv", np.true_divide),
                      ("floordiv", np.floor_divide), ("and", np.bitwise_and), ("or", np.bitwise_or)):
    setattr(Partial, f"__{_name}__", _binary_operator(_ufunc, False))
    setattr(Partial, f"__r{_name}__", _binary_operator(_ufunc, True))
for _name, _ufunc in (("invert", np.invert), ("neg", np.negative), ("pos", np.positive)):
    setattr(Partial, f"__{_name}__", _unary_operator(_ufunc))
