"""Plain helpers lifted to partially known values (monotone functions, elementwise functions)."""

from __future__ import annotations

import numpy as np

from .core import (Partial, _all_known, _finish, _parts, _strict, asarray)


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
                lo = np.asarray(function(*low, **kwargs))
                # increasing in every argument given a Partial: the exact values are the low bounds'
                plain = lo if all(signs[i] > 0 for i, a in enumerate(args) if isinstance(a, Partial)) \
                    else np.asarray(function(*plain_args, **kwargs))
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
