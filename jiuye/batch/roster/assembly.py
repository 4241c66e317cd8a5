"""Assembling the population from the raw tables: key columns checked (身份证号 and 统一社会信用代码
by ``jiuye.ids``, duplicates), memberships (contracts, or an organisation column in a flat list),
facts put into arrays, and every rejected row reported with its number, column, value and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...ids import birth_and_sex_from_ids, check_org_ids, check_person_ids, mask_ids
from ..population import ROLE_KEYS, Population, _defaults
from .conversion import Converted, convert, lookup, raw_text, text_of
from .files import RawTable, read_tables
from .mapping import Mapping, mapping_for, normalise
from .reports import TABLES, ImportReport, Roster, RosterError, RowError, TableReport


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, raw: RawTable, mask: np.ndarray, column: str, values, reason) -> None:
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        shown = values if isinstance(values, np.ndarray) else None
        for i in rows:
            value = "" if shown is None else str(shown[i])
            why = reason[i] if isinstance(reason, np.ndarray) else reason
            self.items.append(RowError(raw.table, raw.source, int(raw.rows[i]), column, value, why))


class _Table:
    """A raw table read against the mapping: its key columns and converted fact columns."""

    def __init__(self, raw: RawTable, mapping: Mapping, errors: _Errors, report: TableReport) -> None:
        self.raw, self.mapping, self.errors, self.report = raw, mapping, errors, report
        self.n = len(raw.rows)
        self.bad = np.zeros(self.n, bool)
        self.keys: dict[str, tuple[str, pa.Array]] = {}
        self.facts: dict[str, tuple[str, Converted]] = {}
        self.extras: dict[str, np.ndarray] = {}
        seen: dict[tuple, str] = {}
        for header in raw.headers:
            column = mapping.column(header)
            if column is None:
                report.ignored.append(header)
                continue
            target = (column.kind, column.target)
            if target in seen:
                raise RosterError(f"{raw.source}: columns {seen[target]!r} and {header!r} are the same "
                                  f"{'fact' if column.kind == 'fact' else 'key'} ({column.target})")
            seen[target] = header
            report.columns[header] = column.target
            if column.kind in ("person_id", "organisation_id", "role"):
                self.keys[column.kind] = (header, raw.columns[header])
            elif column.kind == "extra":
                self.extras[column.target] = np.asarray(
                    pc.fill_null(text_of(raw.columns[header]), "").to_numpy(zero_copy_only=False), dtype=object)
            else:
                variable = mapping.system.variables[column.target]
                converted = convert(raw.columns[header], variable, mapping, raw.excel)
                self.reject(converted.bad, header, raw.columns[header], converted.reason)
                self.facts[column.target] = (header, converted)

    def reject(self, mask, column, values, reason) -> None:
        if isinstance(values, pa.Array):
            values = raw_text(values)
        if isinstance(values, np.ndarray) and column == self.keys.get("person_id", (None,))[0] and mask.any():
            values = values.copy()                   # the report is a list: a person's number masked in it
            values[mask] = mask_ids(values[mask])
        self.errors.add(self.raw, mask, column, values, reason)
        self.bad |= mask

    def ids(self, kind: str) -> tuple[np.ndarray | None, str | None]:
        if kind not in self.keys:
            return None, None
        header, array = self.keys[kind]
        text = text_of(array)
        values = np.asarray(pc.fill_null(pc.utf8_upper(text), "").to_numpy(zero_copy_only=False), dtype=object)
        return values, header

    def entity_facts(self, entity: str) -> dict:
        return {name: item for name, item in self.facts.items()
                if self.mapping.system.variables[name].entity.key == entity}


def _check_ids(table: _Table, kind: str, check: bool, today: dt.date | None, required: bool = True) -> np.ndarray | None:
    ids, header = table.ids(kind)
    if ids is None:
        if required:
            label = table.mapping.keys[kind]["label"]
            raise RosterError(f"{table.raw.source}: no {label} column ({kind}); headers accepted: "
                              + "、".join(table.mapping.keys[kind]["columns"]))
        return None
    blank = ids == ""
    table.reject(blank & required, header, ids, f"{table.mapping.keys[kind]['label']}为空 missing")
    if check:
        present = ~blank
        ok, reason = (check_person_ids(ids[present], today) if kind == "person_id" else check_org_ids(ids[present]))
        bad = np.zeros(len(ids), bool)
        bad[present] = ~ok
        full = np.full(len(ids), "", dtype=object)
        full[present] = reason
        table.reject(bad, header, ids, full)
    return ids


def _duplicates(table: _Table, ids: np.ndarray, header: str, what: str) -> None:
    """Reject the second and later rows of an id (among rows still good), naming the first."""
    candidates = np.flatnonzero(~table.bad & (ids != ""))
    if not len(candidates):
        return
    values = ids[candidates]
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    repeat = np.zeros(len(values), bool)
    repeat[order[1:]] = sorted_values[1:] == sorted_values[:-1]
    first_of = np.empty(len(values), np.int64)
    starts = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    group_first = order[np.flatnonzero(starts)]
    first_of[order] = np.repeat(group_first, np.diff(np.r_[np.flatnonzero(starts), len(values)]))
    if repeat.any():
        mask = np.zeros(table.n, bool)
        mask[candidates[repeat]] = True
        reason = np.full(table.n, "", dtype=object)
        rows = table.raw.rows[candidates[first_of]]
        reason[candidates] = [f"{what}重复（首次出现于第{r}行） duplicate (first in row {r})" for r in rows]
        table.reject(mask, header, ids, reason)


def read_roster(path, system=None, *, on: dt.date | None = None, check_ids: bool = True,
                mapping: Mapping | None = None) -> Roster:
    """Read and check a roster; the good rows as a Population, the report of everything else."""
    if system is None:
        from ...model.system import get_system
        system = get_system()
    mapping = mapping or mapping_for(system)
    raws = read_tables(Path(path), mapping)
    by_table: dict[str, RawTable] = {}
    for raw in raws:
        if raw.table in by_table:
            raise RosterError(f"{path}: two sheets or files for the {raw.table} table")
        by_table[raw.table] = raw
    errors = _Errors()
    reports = {t: TableReport(t, by_table[t].source, len(by_table[t].rows) + by_table[t].blank_rows,
                              blank_rows=by_table[t].blank_rows) for t in TABLES if t in by_table}
    tables = {t: _Table(by_table[t], mapping, errors, reports[t]) for t in TABLES if t in by_table}
    warnings: list[str] = []
    for raw in raws:
        if raw.also:
            warnings.append(f"{raw.table}: 读取 {raw.source}，同一表的其他格式未读取 read {raw.source}; "
                            f"not read: {', '.join(raw.also)}")
    today = on or dt.date.today()
    for t, table in tables.items():
        if t == "organisations":
            for name in table.entity_facts("person"):
                raise RosterError(f"{table.raw.source}: column {table.facts[name][0]!r} is a person's fact "
                                  f"({name}); put it in the persons or contracts table")
        elif "organisation_id" not in table.keys:
            for name in list(table.entity_facts("organisation")):
                header = table.facts.pop(name)[0]
                table.report.ignored.append(header)
                warnings.append(f"{table.raw.source}: 列“{header}”是单位的信息，但该表没有统一社会信用代码列，未使用 "
                                f"an organisation's fact in a table without an organisation column: ignored")

    # -- persons ------------------------------------------------------------------------------------------
    persons_t, orgs_t, contracts_t = tables.get("persons"), tables.get("organisations"), tables.get("contracts")
    if persons_t is None and contracts_t is None:
        raise RosterError(f"{path}: no persons or contracts table")
    person_ids = org_ids = None
    if persons_t is not None:
        person_ids = _check_ids(persons_t, "person_id", check_ids, today)
        _cross_check_ids(persons_t, person_ids, check_ids)
        _duplicates(persons_t, person_ids, persons_t.keys["person_id"][0], "身份证号")
    if orgs_t is not None:
        org_ids = _check_ids(orgs_t, "organisation_id", check_ids, today)
        _duplicates(orgs_t, org_ids, orgs_t.keys["organisation_id"][0], "统一社会信用代码")

    # memberships: contract rows, or persons rows naming an organisation (a flat list)
    flat = persons_t is not None and "organisation_id" in persons_t.keys
    if flat and contracts_t is not None:
        raise RosterError(f"{path}: memberships are given twice: an organisation column in "
                          f"{persons_t.raw.source} and a contracts table; use one of them")
    if orgs_t is not None:
        good_orgs = ~orgs_t.bad
        olist = list(org_ids[good_orgs])
        o_rows = orgs_t.raw.rows[good_orgs]
    else:
        olist, o_rows = [], np.zeros(0, np.int64)
    org_sorted, org_order = _sorted_ids(np.asarray(olist, dtype=object))
    rejected_orgs = set(org_ids[orgs_t.bad]) if orgs_t is not None else set()
    implied_orgs: dict[str, int] = {}

    def check_membership(src: _Table, pid: np.ndarray, oid: np.ndarray):
        """Roles and organisations of membership rows (rejecting bad rows): (org position, role index)."""
        has_org = oid != ""
        role_header, role_array = src.keys.get("role", (None, None))
        if role_array is not None:
            roles, role_given, role_bad = lookup(text_of(role_array), lambda v: mapping.roles.get(normalise(v)))
            src.reject(role_bad & has_org, role_header, role_array,
                       "角色应为职工、创业者、见习人员或其他成员 expected 职工/创业者/见习人员/其他成员")
            role_keys = np.where(role_given & ~role_bad, roles, mapping.default_role)
            defaulted = int((~role_given & has_org).sum())
        else:
            role_keys = np.full(src.n, mapping.default_role, dtype=object)
            defaulted = int(has_org.sum())
        if defaulted:
            warnings.append(f"{src.raw.source}: {defaulted:,} 行未写角色，按“职工”(employee) 处理 "
                            f"rows without a role read as employee")
        role_index = _codes(role_keys, {k: i for i, k in enumerate(ROLE_KEYS)}).astype(np.int8)
        header_o = src.keys["organisation_id"][0]
        pos_o = _positions(org_sorted, org_order, oid)
        missing_o = has_org & ~src.bad & (pos_o < 0)
        if orgs_t is None:                  # no organisations table: the organisation is implied
            for o in oid[missing_o]:
                implied_orgs.setdefault(o, len(olist) + len(implied_orgs))
            if missing_o.any():
                pos_o = np.where(missing_o, np.array([implied_orgs.get(o, -1) for o in oid], np.int64), pos_o)
        else:
            was_rejected = np.isin(oid, list(rejected_orgs)) if rejected_orgs else np.zeros(src.n, bool)
            reason_o = np.where(was_rejected, "该单位行已被拒绝 the organisation's row was rejected",
                                "单位表中没有此统一社会信用代码 not in the organisations table").astype(object)
            src.reject(missing_o, header_o, oid, reason_o)
        return np.where(has_org & ~src.bad, pos_o, -1), role_index

    if contracts_t is not None:
        c_person = _check_ids(contracts_t, "person_id", check_ids, today)
        c_org = _check_ids(contracts_t, "organisation_id", check_ids, today)
        _cross_check_ids(contracts_t, c_person, check_ids, derive=persons_t is None)
    if flat:
        p_org = _check_ids(persons_t, "organisation_id", check_ids, today, required=False)
        flat_org, flat_role = check_membership(persons_t, person_ids, p_org)

    # the person list: the persons table's good rows (else the contracts' persons)
    if persons_t is not None:
        good_persons = ~persons_t.bad
        plist = person_ids[good_persons]
        p_rows = persons_t.raw.rows[good_persons]
    else:
        c_good = ~contracts_t.bad & (c_person != "")
        plist_unique, first = np.unique(c_person[c_good].astype(str), return_index=True)
        order = np.argsort(first)
        plist = plist_unique[order].astype(object)
        p_rows = contracts_t.raw.rows[np.flatnonzero(c_good)[first[order]]]
    rejected_persons = set(person_ids[persons_t.bad]) if persons_t is not None else set()
    person_sorted, person_order = _sorted_ids(plist)
    n_persons = len(plist)
    org_of_person = np.full(n_persons, -1, np.int64)
    role_of_person = np.zeros(n_persons, np.int8)

    if flat:
        org_of_person[:] = flat_org[good_persons]
        role_of_person[:] = flat_role[good_persons]
        persons_t._org_positions = np.where(persons_t.bad, -1, flat_org)
    if contracts_t is not None:
        src, pid, oid = contracts_t, c_person, c_org
        pos_o, role_index = check_membership(src, pid, oid)
        header_p = src.keys["person_id"][0]
        live = ~src.bad
        pos_p = _positions(person_sorted, person_order, pid)
        was_rejected = np.isin(pid, list(rejected_persons)) if rejected_persons else np.zeros(src.n, bool)
        reason_p = np.where(was_rejected, "该人员行已被拒绝 the person's row was rejected",
                            "人员表中没有此身份证号 not in the persons table").astype(object)
        src.reject(live & (pos_p < 0), header_p, pid, reason_p)
        # one organisation per person (the model's memberships): later rows are rejected
        ok = np.flatnonzero(~src.bad)
        _, first = np.unique(pos_p[ok], return_index=True)
        clash = np.ones(len(ok), bool)
        clash[first] = False
        if clash.any():
            first_row = dict(zip(pos_p[ok[~clash]].tolist(), src.raw.rows[ok[~clash]].tolist()))
            reason = np.full(src.n, "", dtype=object)
            mask = np.zeros(src.n, bool)
            for i in ok[clash]:
                row = first_row[int(pos_p[i])]
                mask[i] = True
                reason[i] = (f"此人已在第{row}行属于一个单位；模型中每人只属于一个单位 "
                             f"already a member of an organisation (row {row})")
            src.reject(mask, header_p, pid, reason)
        good = np.flatnonzero(~src.bad)
        org_of_person[pos_p[good]] = pos_o[good]
        role_of_person[pos_p[good]] = role_index[good]
        src._positions = np.where(src.bad, -1, pos_p)
        src._org_positions = np.where(src.bad, -1, pos_o)

    for name in implied_orgs:
        olist.append(name)
    o_rows = np.concatenate([o_rows, np.zeros(len(implied_orgs), np.int64)])
    if implied_orgs:
        warnings.append(f"{len(implied_orgs):,} 个单位只出现在劳动关系或人员表中（没有单位表），其单位信息未提供 "
                        f"organisations named only in memberships: no facts of theirs given")
    n_orgs = len(olist)

    # -- facts -------------------------------------------------------------------------------------------------
    person_facts: dict = {}
    person_given: dict = {}
    org_facts: dict = {}
    org_given: dict = {}

    def put(store, given_store, name, n, index, converted: Converted, override: bool):
        variable = system.variables[name]
        if name not in store:
            dtype = converted.values.dtype if converted.values.dtype != object else object
            store[name] = _defaults(variable, n, dtype) if n else np.zeros(0, dtype)
            if variable.value_type is float:
                store[name] = np.full(n, np.nan)
            given_store[name] = np.zeros(n, bool)
        take = converted.given[index >= 0] if len(index) else np.zeros(0, bool)
        target = index[index >= 0]
        values = converted.values[index >= 0]
        if not override:
            take = take & ~given_store[name][target]
        store[name][target[take]] = values[take]
        given_store[name][target[take]] = True

    if persons_t is not None:
        index = np.full(persons_t.n, -1, np.int64)
        index[~persons_t.bad] = np.arange(int((~persons_t.bad).sum()))
        for name, (_, converted) in persons_t.entity_facts("person").items():
            put(person_facts, person_given, name, n_persons, index, converted, override=True)
    if contracts_t is not None:
        pos = np.where(contracts_t.bad, -1, getattr(contracts_t, "_positions", np.full(contracts_t.n, -1)))
        for name, (_, converted) in contracts_t.entity_facts("person").items():
            put(person_facts, person_given, name, n_persons, pos, converted, override=True)
    if orgs_t is not None:
        index = np.full(orgs_t.n, -1, np.int64)
        index[~orgs_t.bad] = np.arange(int((~orgs_t.bad).sum()))
        for name, (_, converted) in orgs_t.entity_facts("organisation").items():
            put(org_facts, org_given, name, n_orgs, index, converted, override=True)
    # organisation facts in a flat list (persons or contracts with an organisation column)
    for src in (persons_t, contracts_t):
        if src is None or not hasattr(src, "_org_positions"):
            continue
        flat = src.entity_facts("organisation")
        if not flat:
            continue
        positions = np.where(src.bad, -1, src._org_positions)
        for name, (header, converted) in flat.items():
            _flat_conflicts(src, positions, header, converted)
        positions = np.where(src.bad, -1, src._org_positions)
        for name, (_, converted) in flat.items():
            put(org_facts, org_given, name, n_orgs, positions, converted, override=False)

    # fact arrays: a given mask only where some row is not given
    for facts, given in ((person_facts, person_given), (org_facts, org_given)):
        for name in list(facts):
            if given[name].all():
                del given[name]
    # extras
    person_extra, org_extra = {}, {}
    for table, store, n, index_of in ((persons_t, person_extra, n_persons, "persons"),
                                      (orgs_t, org_extra, n_orgs, "organisations")):
        if table is None:
            continue
        good = ~table.bad
        for key, values in table.extras.items():
            spec = mapping.extras[key]
            entity_n = n_persons if spec["entity"] == "person" else n_orgs
            if (spec["entity"] == "person") != (index_of == "persons"):
                continue
            out = np.full(entity_n, "", dtype=object)
            out[:int(good.sum())] = values[good]
            store[key] = out

    for t, table in tables.items():
        reports[t].rejected = int(table.bad.sum())
        reports[t].imported = table.n - reports[t].rejected
    errors.items.sort(key=lambda e: (TABLES.index(e.table), e.row))
    population = Population(
        on=on, seed=None,
        person_ids=np.asarray(plist, dtype=object), org_ids=np.asarray(olist, dtype=object),
        org_of_person=org_of_person, role_of_person=role_of_person,
        person_facts=person_facts, org_facts=org_facts, person_given=person_given, org_given=org_given,
        person_extra=person_extra, org_extra=org_extra, person_rows=p_rows, org_rows=o_rows)
    report = ImportReport(list(reports.values()), errors.items, warnings, persons=n_persons, organisations=n_orgs,
                          memberships=int((org_of_person >= 0).sum()), persons_alone=int((org_of_person < 0).sum()))
    return Roster(population, report)


def _sorted_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    text = np.asarray(ids, dtype=str) if len(ids) else np.zeros(0, dtype="<U1")
    order = np.argsort(text, kind="stable")
    return text[order], order


def _positions(sorted_ids: np.ndarray, order: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Index of each id in the list (-1: not in it)."""
    if not len(sorted_ids):
        return np.full(len(ids), -1, np.int64)
    text = np.asarray(ids, dtype=str)
    at = np.minimum(np.searchsorted(sorted_ids, text), len(sorted_ids) - 1)
    found = sorted_ids[at] == text
    return np.where(found, order[at], -1).astype(np.int64)


def _codes(values: np.ndarray, table: dict) -> np.ndarray:
    unique, inverse = np.unique(np.asarray(values, dtype=str), return_inverse=True)
    return np.array([table[u] for u in unique], np.int64)[inverse] if len(unique) else np.zeros(0, np.int64)


def _cross_check_ids(table: _Table, ids: np.ndarray, check: bool, derive: bool = True) -> None:
    """Birth date and sex agree with the 身份证号; where blank, they are taken from it."""
    if not check or ids is None:
        return
    system = table.mapping.system
    good = ~table.bad & (ids != "")
    if not good.any():
        return
    birth, sex = birth_and_sex_from_ids(ids[good].astype(str))
    header_id = table.keys["person_id"][0]
    for name, derived in (("birth_date", birth), ("sex", sex)):
        if name not in system.variables:
            continue
        if name in table.facts:
            header, converted = table.facts[name]
            values = converted.values[good]
            given = converted.given[good]
            if name == "sex":
                given = given & (values != 0)
            differ = np.zeros(table.n, bool)
            differ[good] = given & (values != derived)
            label = system.variables[name].label
            table.reject(differ, header, table.raw.columns[header],
                         f"{label}与身份证号不一致 does not match the 身份证号 ({header_id})")
            converted.values = converted.values.copy()
            fill = np.zeros(table.n, bool)
            fill[good] = ~given
            converted.values[np.flatnonzero(fill)] = derived[~given]
            converted.given = converted.given | fill
        elif derive:
            values = np.zeros(table.n, dtype="datetime64[D]" if name == "birth_date" else np.int16)
            values[good] = derived
            table.facts[name] = (header_id, Converted(values, good.copy(), np.zeros(table.n, bool)))


def _flat_conflicts(src: _Table, positions: np.ndarray, header: str, converted: Converted) -> None:
    """An organisation's fact in a flat list must agree across the organisation's rows."""
    rows = np.flatnonzero((positions >= 0) & converted.given)
    if not len(rows):
        return
    orgs = positions[rows]
    order = np.lexsort((rows, orgs))
    first = {}
    conflict = np.zeros(src.n, bool)
    reason = np.full(src.n, "", dtype=object)
    values = converted.values
    for i in rows[order]:
        o = positions[i]
        if o not in first:
            first[o] = i
        elif values[i] != values[first[o]]:
            conflict[i] = True
            reason[i] = (f"与同一单位第{src.raw.rows[first[o]]}行的值不一致 differs from the same "
                         f"organisation's row {src.raw.rows[first[o]]}")
    src.reject(conflict, header, src.raw.columns[header], reason)
