"""Cells to typed values: a column of text (or typed Parquet/Arrow values) read as one fact of the
model — 是/否, list values, dates (2024-03-15, 2024年3月15日, Excel serial numbers …), numbers with
their noise (1,200 元, 30%) — each distinct text parsed once; and back, a fact's array as a column."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...numerals import ForeignDigit, ascii_digits
from .mapping import Mapping, normalise

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


@dataclasses.dataclass
class Converted:
    values: np.ndarray        # storage dtype (meaningless where not given)
    given: np.ndarray         # bool
    bad: np.ndarray           # bool
    reason: str = ""


def text_of(array: pa.Array) -> pa.Array:
    """Trimmed strings, null for blank cells."""
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    text = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def lookup(text: pa.Array, parse) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct string once: (codes per row as parse returned, given, bad)."""
    encoded = pc.dictionary_encode(text)
    dictionary = encoded.dictionary.to_pylist()
    table = [parse(v) for v in dictionary]
    indices = np.asarray(pc.fill_null(encoded.indices, -1), np.int64)
    given = indices >= 0
    results = np.array([r if r is not None else 0 for r in table] + [0], dtype=object)
    ok = np.array([r is not None for r in table] + [True], bool)
    codes = results[indices]
    bad = given & ~ok[indices]
    return codes, given, bad


def convert(array: pa.Array, variable, mapping: Mapping, excel: bool = False) -> Converted:
    """A column as the fact's values; a cell that is not a value of the fact's type, or lies outside
    its declared range (numbers: finite, within `minimum`/`maximum`; dates: 1900–2199), is bad."""
    converted = _convert(array, variable, mapping, excel)
    if variable.value_type in (int, float, dt.date) and converted.given.any():
        return _in_range(converted, variable)
    return converted


def _in_range(converted: Converted, variable) -> Converted:
    from ...model.base import input_bounds
    lo, hi = input_bounds(variable)
    values = converted.values
    if variable.value_type is dt.date:
        lo, hi = np.datetime64(lo, "D"), np.datetime64(hi, "D")
        never = values == np.datetime64("9999-12-31")
        out = ~never & ((values < lo) | (values > hi))
        shown = f"{lo}至{hi}"
    else:
        numbers = np.asarray(values, float)
        out = ~np.isfinite(numbers)
        if lo is not None:
            out |= numbers < lo
        if hi is not None:
            out |= numbers > hi
        shown = f"{lo:g}至{hi:g}" if lo is not None and hi is not None else "有限数值"
    out &= converted.given
    if not out.any():
        return converted
    reason = converted.reason if converted.bad.any() else ""
    reason = (reason + "；" if reason else "") + f"超出范围（{shown}）"
    return Converted(values, converted.given & ~out, converted.bad | out, reason)


def _convert(array: pa.Array, variable, mapping: Mapping, excel: bool = False) -> Converted:
    from openfisca_core.indexed_enums import Enum
    n = len(array)
    vt = variable.value_type
    typ = array.type
    # typed Parquet / Arrow columns first
    if vt is bool and pa.types.is_boolean(typ):
        return Converted(np.asarray(pc.fill_null(array, False)), np.asarray(array.is_valid()), np.zeros(n, bool))
    if vt is dt.date and (pa.types.is_date(typ) or pa.types.is_timestamp(typ)):
        days = array.cast(pa.date32()) if not pa.types.is_date32(typ) else array
        values = np.asarray(pc.fill_null(days, 0).cast(pa.int32()), np.int64).astype("datetime64[D]")
        return Converted(values, np.asarray(array.is_valid()), np.zeros(n, bool))
    if vt in (int, float) and (pa.types.is_integer(typ) or pa.types.is_floating(typ)):
        numbers = np.asarray(pc.fill_null(array.cast(pa.float64()), np.nan), float)
        given = ~np.isnan(numbers)
        if vt is int:
            bad = given & (numbers != np.round(numbers))
            return Converted(np.nan_to_num(numbers).astype(np.int32), given & ~bad, bad, "不是整数 not a whole number")
        return Converted(numbers, given, np.zeros(n, bool))
    text = text_of(array)
    if vt is bool:
        def parse(value):
            key = normalise(value)
            return True if key in mapping.true else (False if key in mapping.false else None)
        codes, given, bad = lookup(text, parse)
        return Converted(codes.astype(bool), given & ~bad, bad, "应为是/否 expected 是 or 否")
    if vt is Enum:
        enum = variable.possible_values
        table = mapping.enum_tables[enum.__name__]
        prefixes = mapping.prefixes

        def parse(value):
            key = normalise(value)
            if key in table:
                return table[key]
            for prefix in prefixes:
                if key.startswith(prefix) and key[len(prefix):] in table:
                    return table[key[len(prefix):]]
            return None
        codes, given, bad = lookup(text, parse)
        values = codes.astype(np.int16)
        if mapping.unknown_is_blank and "unknown" in enum.__members__:
            given &= values != enum["unknown"].index
        choices = "、".join(m.value for m in enum if m.name != "unknown")
        if len(choices) > 80:
            choices = choices[:80] + "…"
        return Converted(values, given & ~bad, bad, f"不在可选值中 not one of the values（{choices}）")
    if vt is dt.date:
        def parse(value):
            return _parse_date(value, excel)
        codes, given, bad = lookup(text, parse)
        values = codes.astype(np.int64).astype("datetime64[D]")
        return Converted(values, given & ~bad, bad, "不是有效日期 not a date (YYYY-MM-DD)")
    if vt in (int, float):
        clean = text
        for noise in mapping.noise:
            clean = pc.replace_substring(clean, noise, "")
        percent = np.asarray(pc.fill_null(pc.ends_with(clean, "%"), False))
        clean = pc.replace_substring(clean, "%", "")
        clean, foreign = _ascii_numbers(clean)
        ok = pc.match_substring_regex(clean, r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
        given = np.asarray(text.is_valid())
        okn = np.asarray(pc.fill_null(ok, False)) & ~foreign
        numbers = np.asarray(pc.fill_null(pc.if_else(ok, clean, None).cast(pa.float64()), np.nan), float)
        numbers = np.where(percent, numbers / 100.0, numbers)
        bad = given & ~okn
        if vt is int:
            fraction = okn & (numbers != np.round(np.nan_to_num(numbers)))
            bad |= fraction
            return Converted(np.nan_to_num(numbers).astype(np.int32), given & ~bad, bad,
                             "不是整数 not a whole number" + (FOREIGN if foreign.any() else ""))
        return Converted(np.where(given & ~bad, numbers, np.nan), given & ~bad, bad,
                         "不是数字 not a number" + (FOREIGN if foreign.any() else ""))
    # strings and anything else: as given
    values = np.asarray(pc.fill_null(text, "").to_numpy(zero_copy_only=False), dtype=object)
    return Converted(values, np.asarray(text.is_valid()), np.zeros(n, bool))


FOREIGN = "（数字请用0–9，全角０–９亦可）"


def _ascii_numbers(clean: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The cells with full-width digits, ．－＋ as ASCII (`jiuye.numerals`), and where a cell holds
    another digit (٣, ², ①: refused); only cells that are not ASCII are looked at."""
    foreign = np.zeros(len(clean), bool)
    rows = np.flatnonzero(~np.asarray(pc.fill_null(pc.string_is_ascii(clean), True)))
    if not len(rows):
        return clean, foreign
    values = clean.to_pylist()
    for i in rows.tolist():
        try:
            values[i] = ascii_digits(values[i])
        except ForeignDigit:
            foreign[i] = True
    return pa.array(values, pa.string()), foreign


_DATE_PATTERNS = [re.compile(p) for p in (
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$", r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$",
    r"^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})$", r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?$",
    r"^([0-9]{4})([0-9]{2})([0-9]{2})$")]


def _parse_date(value: str, excel: bool = False) -> int | None:
    """A date cell's day number; None when it is not a date (a digit other than 0–9 or full-width
    ０–９ included: `jiuye.numerals`; full-width separators ／ are read as theirs, NFKC)."""
    try:
        value = ascii_digits(value)
    except ForeignDigit:
        return None
    value = unicodedata.normalize("NFKC", value).strip()
    value = re.sub(r"[ T]00:00(:00)?$", "", value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
            if not dt.date(1900, 1, 1) <= day <= dt.date(9999, 12, 31):
                return None
            return (day - dt.date(1970, 1, 1)).days
    if excel and re.fullmatch(r"[0-9]{4,5}", value):          # an Excel serial date in an unformatted cell
        return int((EXCEL_EPOCH + np.timedelta64(int(value), "D")).astype(np.int64))
    return None


def raw_text(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(array.cast(pa.string()), "").to_numpy(zero_copy_only=False), dtype=object)


def column_values(system, name: str, values: np.ndarray, given, typed: bool) -> pa.Array:
    """A fact column as Arrow: typed (Parquet) or as text (CSV, Excel); not given → null."""
    from openfisca_core.indexed_enums import Enum
    variable = system.variables[name]
    vt = variable.value_type
    mask = None if given is None else ~np.asarray(given, bool)
    if vt is float:
        values = np.asarray(values, np.float64)
        nan = np.isnan(values)
        mask = nan if mask is None else (mask | nan)
    if vt is Enum:
        enum = variable.possible_values
        labels = np.array([m.value for m in enum], dtype=object)
        codes = np.asarray(values, np.int64)
        if "unknown" in enum.__members__:                   # the list's unknown: a blank cell
            unknown = codes == enum["unknown"].index
            mask = unknown if mask is None else (mask | unknown)
        return pa.array(labels[codes], pa.string(), mask=mask).dictionary_encode() if typed else \
            pa.array(labels[codes], pa.string(), mask=mask)
    if vt is dt.date:
        array = pa.array(np.asarray(values, "datetime64[D]"), pa.date32(), mask=mask)
        return array if typed else array.cast(pa.string())
    if vt is bool:
        array = pa.array(np.asarray(values, bool), pa.bool_(), mask=mask)
        if typed:
            return array
        return pc.if_else(array, "是", "否")
    if vt is int:
        array = pa.array(np.asarray(values, np.int64), pa.int64(), mask=mask)
        return array if typed else array.cast(pa.string())
    if vt is float:
        array = pa.array(values, pa.float64(), mask=mask)
        if typed:
            return array
        return pa.array([None if m else _number_text(v) for v, m in zip(values, mask)], pa.string()) \
            if mask is not None else pa.array([_number_text(v) for v in values], pa.string())
    return pa.array(np.asarray(values).astype(str), pa.string(), mask=mask)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
