"""Import of the rosters case workers already have (Excel or CSV, UTF-8 or GBK) into the registry.

Columns: the roster column mapping of ``jiuye match`` (jiuye/batch/roster.yaml: 身份证号, 姓名,
联系电话, and the facts by their headers — 户籍所在区, 登记失业人员, 失业登记日期, 毕业日期, 生源地,
经认定的就业困难人员, 享受最低生活保障待遇, 退役士兵, 残疾人, 农村劳动力, 有就业意愿 …, read by the same
conversion), plus the registry's own columns (``REGISTRY_COLUMNS``: 社区, 户, the dates and
particulars of the statuses, the employment spell).

Upsert by 身份证号: a new number registers the person with their statuses; a known one adds only
what is new (a status of a kind and start not held yet, an end date, changed details as a new
version). The hukou's move (户籍迁入日期, 原户籍所在区 — the roster's columns) is checked against the
import day and the birth date and stored with 户籍所在区 (``hukou.changed``: a district changed
without a move date drops the recorded move and keeps the former district as 原户籍所在区, the date not
known, and the result's ``notes`` say so). Re-importing the
same file changes nothing. A bad row is rejected with its row number, column and reason while the
good rows go in; a number twice in the file is reported (the same row again: a duplicate, skipped;
different values: a conflict, the later row rejected); a number registered in a community the
importer may not edit is rejected. Rows are written in chunks, one
transaction and one audit entry (listing every row written) per chunk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from .. import ids
from ..ids import mask_id
from ..ledger import audit
from ..ledger.errors import Forbidden, InvalidInput
from .models import Area, Household, Person, PersonVersion, Spell, Status

REGISTRY_COLUMNS = {     # field -> headers (compared as the roster mapping does)
    "community": ["社区", "所在社区", "社区名称", "community"],
    "household": ["户", "家庭户", "户号", "household"],
    "unemployment_end": ["失业登记注销日期", "失业登记结束日期", "unemployment_end"],
    "graduate_registered": ["离校未就业登记日期", "graduate_registered_on"],
    "school": ["毕业院校", "学校", "school"],
    "hard_to_employ_date": ["就业困难人员认定日期", "认定日期", "hard_to_employ_on"],
    "hard_to_employ_category": ["就业困难人员类别", "困难类别", "hard_to_employ_category"],
    "hard_to_employ_special": ["特殊就业困难人员", "hard_to_employ_special"],
    "low_income_kind": ["困难家庭类别", "低保类别", "low_income_kind"],
    "employer": ["就业单位", "工作单位", "employer"],
    "employment_start": ["就业日期", "就业开始日期", "入职日期", "employment_start"],
    "flexible_start": ["灵活就业开始日期", "flexible_start"],
    # facts whose roster label is shared by two facts (so the roster mapping cannot place it)
    "willing_to_work": ["有就业意愿", "就业意愿", "willing_to_work"],
    "left_school_unemployed": ["离校未就业高校毕业生", "离校未就业", "left_school_unemployed"],
    "difficult_family_member": ["困难家庭", "困难家庭成员", "difficult_family_member"],
}
BOOL_FIELDS = ("willing_to_work", "left_school_unemployed", "difficult_family_member")
FACTS = ("hukou_district", "hukou_moved_in_date", "previous_hukou_district", "retirement_category",
         "registered_unemployed", "unemployment_registration_date",
         "left_school_unemployed", "graduation_date", "student_origin_city", "hard_to_employ", "dibao",
         "difficult_family_member", "rural_labour", "veteran", "disabled", "willing_to_work")
DATE_FIELDS = ("unemployment_end", "graduate_registered", "hard_to_employ_date", "employment_start", "flexible_start")
CHUNK = 2000


@dataclasses.dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = dataclasses.field(default_factory=list)      # {row, column, value, reason}
    duplicates: list = dataclasses.field(default_factory=list)    # {row, first_row, id_number}
    conflicts: list = dataclasses.field(default_factory=list)     # {row, column, first_row, reason}
    notes: list = dataclasses.field(default_factory=list)         # {row, column, reason}: imported, to check
    ignored_columns: list = dataclasses.field(default_factory=list)
    written: dict = dataclasses.field(default_factory=dict)       # table -> rows written

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _normalise(header: str) -> str:
    from ..batch.roster import normalise
    return normalise(header)


def _columns(raw, mapping) -> tuple[dict, dict, list]:
    """(field -> header) of the registry's columns, (fact/key -> header) of the roster's, ignored."""
    ours = {_normalise(h): f for f, headers in REGISTRY_COLUMNS.items() for h in headers}
    registry_cols, roster_cols, ignored = {}, {}, []
    for header in raw.headers:
        key = _normalise(header)
        if key in ours:
            registry_cols[ours[key]] = header
            continue
        column = mapping.column(header)
        if column is None or column.entity != "person":
            ignored.append(header)
        elif column.kind == "person_id":
            roster_cols["person_id"] = header
        elif column.kind == "extra":
            roster_cols[column.target] = header
        elif column.kind == "fact" and column.target in FACTS:
            roster_cols[column.target] = header
        else:
            ignored.append(header)
    return registry_cols, roster_cols, ignored


def read_rows(path: Path, on: dt.date, result: ImportResult) -> list[dict]:
    """The file's rows as dicts of typed values; bad rows go to ``result.rejected``."""
    import pyarrow as pa
    from ..batch.roster import RosterError, convert, mapping_for, read_tables
    from ..batch.roster.conversion import text_of
    from ..model.system import get_system
    system = get_system()
    mapping = mapping_for(system)
    try:
        tables = read_tables(Path(path), mapping)
    except RosterError as error:
        raise InvalidInput("file", str(error)) from None
    raw = next((t for t in tables if t.table == "persons"), tables[0] if tables else None)
    if raw is None:
        raise InvalidInput("file", "文件中没有人员表")
    registry_cols, roster_cols, result.ignored_columns = _columns(raw, mapping)
    for needed, label in (("person_id", "身份证号"), ("person_name", "姓名")):
        if needed not in roster_cols:
            raise InvalidInput("file", f"缺少“{label}”列")
    if "community" not in registry_cols:
        raise InvalidInput("file", "缺少“社区”列")
    n = len(raw.rows)
    result.rows = n
    bad_reason = [None] * n
    values: dict[str, np.ndarray] = {}
    given: dict[str, np.ndarray] = {}

    def reject(mask, header, column_values, reason):
        for i in np.flatnonzero(mask):
            if bad_reason[i] is None:
                bad_reason[i] = {"row": int(raw.rows[i]), "column": header, "value": str(column_values[i])[:40],
                                 "reason": reason}

    def text(header):
        return np.asarray(text_of(raw.columns[header]).fill_null("").to_numpy(zero_copy_only=False), dtype=object)

    numbers = text(roster_cols["person_id"])
    ok, reasons = ids.check_person_ids(np.array([str(x).strip().upper() for x in numbers], dtype=object), on)
    reject(~ok, roster_cols["person_id"], numbers, None)
    for i in np.flatnonzero(~ok):
        bad_reason[i]["reason"] = str(reasons[i]) if reasons is not None else "身份证号无效"
    values["id_number"] = np.array([str(x).strip().upper() for x in numbers], dtype=object)
    for field in ("person_name", "phone"):
        if field in roster_cols:
            values[field] = text(roster_cols[field])
    reject(values["person_name"] == "", roster_cols["person_name"], values["person_name"], "姓名不能为空")
    for fact, header in roster_cols.items():
        if fact in FACTS:
            converted = convert(raw.columns[header], system.variables[fact], mapping, raw.excel)
            reject(converted.bad, header, text(header), converted.reason)
            values[fact], given[fact] = converted.values, converted.given
    date_variable = system.variables["graduation_date"]
    for field, header in registry_cols.items():
        if field in DATE_FIELDS:
            converted = convert(raw.columns[header], date_variable, mapping, raw.excel)
            reject(converted.bad, header, text(header), converted.reason)
            values[field], given[field] = converted.values, converted.given
        elif field == "hard_to_employ_special" or field in BOOL_FIELDS:
            converted = convert(raw.columns[header], system.variables["hard_to_employ"], mapping, raw.excel)
            reject(converted.bad, header, text(header), converted.reason)
            values[field], given[field] = converted.values, converted.given
        else:
            values[field] = text(header)
    reject(values["community"] == "", registry_cols["community"], values["community"], "社区不能为空")
    enums = {f: list(system.variables[f].possible_values.__members__)
             for f in ("hukou_district", "previous_hukou_district", "retirement_category", "student_origin_city")}
    rows = []
    for i in range(n):
        if bad_reason[i] is not None:
            result.rejected.append(bad_reason[i])
            continue
        row = {"row": int(raw.rows[i]), "id_number": values["id_number"][i], "name": values["person_name"][i],
               "phone": values.get("phone", [""] * n)[i] or None, "community": values["community"][i],
               "household": (values.get("household", [""] * n)[i] or None)}
        for fact in FACTS:
            if fact in values and given[fact][i] and not (fact in BOOL_FIELDS and fact in registry_cols
                                                         and fact not in roster_cols):
                value = values[fact][i]
                if fact in enums:
                    value = enums[fact][int(value)]
                elif isinstance(value, np.datetime64):
                    value = value.astype(dt.date)
                else:
                    value = bool(value)
                row[fact] = value
        for field in registry_cols:
            if field in DATE_FIELDS or field == "hard_to_employ_special" or field in BOOL_FIELDS:
                if given[field][i]:
                    value = values[field][i]
                    row[field] = value.astype(dt.date) if isinstance(value, np.datetime64) else bool(value)
            elif field not in ("community", "household"):
                row[field] = values[field][i] or None
        problem = _row_problem(row, on, roster_cols)
        if problem:
            result.rejected.append({"row": row["row"], **problem})
            continue
        rows.append(row)
    del pa
    return rows


_HUKOU_FACT = {"hukou_district": "hukou_district", "hukou_moved_in_on": "hukou_moved_in_date",
               "previous_hukou_district": "previous_hukou_district"}


def _hukou_of(row: dict):
    from .hukou import Hukou
    return Hukou(row.get("hukou_district"), row.get("hukou_moved_in_date"), row.get("previous_hukou_district"))


def _row_problem(row: dict, on: dt.date, headers: dict) -> dict | None:
    from . import hukou
    found = hukou.problem(_hukou_of(row), on=on, birth=hukou.birth_of(row["id_number"]))
    if found:
        fact = _HUKOU_FACT[found[0]]
        return {"column": headers.get(fact, hukou.LABELS[found[0]]), "value": str(row.get(fact) or ""), "reason": found[1]}
    if row.get("registered_unemployed") and not row.get("unemployment_registration_date"):
        return {"column": "失业登记日期", "value": "", "reason": "登记失业人员须填写失业登记日期"}
    if row.get("unemployment_end") and row.get("unemployment_registration_date") and \
            row["unemployment_end"] <= row["unemployment_registration_date"]:
        return {"column": "失业登记注销日期", "value": str(row["unemployment_end"]), "reason": "注销日期应晚于登记日期"}
    if row.get("hard_to_employ") and not row.get("hard_to_employ_date"):
        return {"column": "就业困难人员认定日期", "value": "", "reason": "就业困难人员须填写认定日期"}
    if row.get("employer") and not row.get("employment_start"):
        return {"column": "就业日期", "value": "", "reason": "填写了就业单位，须填写就业日期"}
    return None


def statuses_of(row: dict, on: dt.date) -> list[tuple]:
    """(kind, start, end, details) the row states."""
    out = []
    if row.get("registered_unemployed"):
        out.append(("unemployed", row["unemployment_registration_date"], row.get("unemployment_end"), {}))
    if row.get("left_school_unemployed"):
        details = {k: v for k, v in (("graduation_date", row.get("graduation_date")), ("school", row.get("school")),
                                     ("origin", row.get("student_origin_city"))) if v}
        if "graduation_date" in details:
            details["graduation_date"] = details["graduation_date"].isoformat()
        start = row.get("graduate_registered") or row.get("graduation_date") or on
        out.append(("graduate", start, None, details))
    if row.get("hard_to_employ"):
        details = {k: v for k, v in (("category", row.get("hard_to_employ_category")),
                                     ("special", row.get("hard_to_employ_special"))) if v is not None}
        out.append(("hard_to_employ", row["hard_to_employ_date"], None, details))
    if row.get("dibao") or row.get("difficult_family_member"):
        kind = row.get("low_income_kind") or ("低保" if row.get("dibao") else "困难家庭")
        out.append(("low_income", on, None, {"kind": kind}))
    for fact, kind in (("rural_labour", "rural_labour"), ("veteran", "veteran"), ("disabled", "disabled")):
        if row.get(fact):
            out.append((kind, on, None, {}))
    if "willing_to_work" in row:
        out.append(("willing", on, None, {"willing": bool(row["willing_to_work"])}))
    return out


def spells_of(row: dict) -> list[tuple]:
    out = []
    if row.get("employer"):
        out.append(("employee", row["employer"], row["employment_start"]))
    if row.get("flexible_start"):
        out.append(("flexible", None, row["flexible_start"]))
    return out


def _plain_record(table, values: dict) -> dict:
    plain = {c.name: audit.plain(values.get(c.name)) for c in table.columns}
    shown = dict(plain)
    if "id_number" in shown:
        shown["id_number"] = mask_id(shown["id_number"])
    return {"table": table.name, "id": plain.get("id"), "digest": audit.row_digest(plain), "values": shown}


def import_file(registry, actor, path: Path, *, on: dt.date, progress=None, source: str | None = None) -> ImportResult:
    """Import a roster file; ``progress(n)`` is called as rows are written."""
    result = ImportResult()
    rows = read_rows(path, on, result)
    with registry.db.read() as s:
        who = registry._actor(s, actor, edit=True)
        communities = {a.name: a.id for a in s.scalars(select(Area).where(Area.kind == "community"))}
    # duplicates and conflicts within the file
    first: dict[str, dict] = {}
    kept = []
    for row in rows:
        earlier = first.get(row["id_number"])
        if earlier is None:
            first[row["id_number"]] = row
            kept.append(row)
            continue
        same = {k: v for k, v in row.items() if k != "row"} == {k: v for k, v in earlier.items() if k != "row"}
        if same:
            result.duplicates.append({"row": row["row"], "first_row": earlier["row"], "id_number": mask_id(row["id_number"])})
        else:
            column = next(k for k in sorted(set(row) | set(earlier)) if k != "row" and row.get(k) != earlier.get(k))
            result.conflicts.append({"row": row["row"], "first_row": earlier["row"], "column": column,
                                     "id_number": mask_id(row["id_number"]),
                                     "reason": f"与第{earlier['row']}行同一身份证号但“{column}”不同：本行未导入"})
    good = []
    for row in kept:
        community = communities.get(row["community"])
        if community is None:
            result.rejected.append({"row": row["row"], "column": "社区", "value": row["community"],
                                    "reason": f"没有名为“{row['community']}”的社区"})
        elif not who.sees(community):
            result.rejected.append({"row": row["row"], "column": "社区", "value": row["community"],
                                    "reason": "不是你所在的社区"})
        else:
            row["community_id"] = community
            good.append(row)
    for start in range(0, len(good), CHUNK):
        chunk = good[start:start + CHUNK]
        _write_chunk(registry, who, chunk, on, result, source or Path(path).name)
        if progress:
            progress(len(chunk))
    result.rejected.sort(key=lambda r: r["row"])
    return result


def _write_chunk(registry, who, chunk: list[dict], on: dt.date, result: ImportResult, source: str) -> None:
    now = registry.clock()
    with registry._write() as s:
        numbers = [r["id_number"] for r in chunk]
        existing = {p.id_number: p for p in s.scalars(select(Person).where(Person.id_number.in_(numbers)))}
        ids_known = [p.id for p in existing.values()]
        current_status: dict[int, list] = {}
        current_spell: dict[int, list] = {}
        households: dict[tuple, int] = {}
        if ids_known:
            superseded = select(Status.supersedes_id).where(Status.supersedes_id.is_not(None),
                                                             Status.person_id.in_(ids_known))
            for x in s.scalars(select(Status).where(Status.person_id.in_(ids_known), Status.id.not_in(superseded))):
                current_status.setdefault(x.person_id, []).append(x)
            sp_superseded = select(Spell.supersedes_id).where(Spell.supersedes_id.is_not(None),
                                                              Spell.person_id.in_(ids_known))
            for x in s.scalars(select(Spell).where(Spell.person_id.in_(ids_known), Spell.id.not_in(sp_superseded))):
                current_spell.setdefault(x.person_id, []).append(x)
        community_ids = {r["community_id"] for r in chunk}
        labels = {r["household"] for r in chunk if r["household"]}
        if labels:                    # only the chunk's households (not every household of its communities)
            for hid, c, label in s.execute(select(Household.id, Household.community_id, Household.label).where(
                    Household.community_id.in_(community_ids), Household.label.in_(labels))):
                households[(c, label)] = hid
        records: list[dict] = []
        # households first
        new_households = sorted({(r["community_id"], r["household"]) for r in chunk if r["household"]} - set(households))
        if new_households:
            made = s.execute(insert(Household).returning(Household.id, Household.community_id, Household.label),
                             [{"community_id": c, "label": h, "created_at": now} for c, h in new_households]).all()
            for hid, c, label in made:
                households[(c, label)] = hid
                records.append(_plain_record(Household.__table__, {"id": hid, "community_id": c, "label": label,
                                                                   "created_at": now}))
        # persons: new ones in one statement
        new_rows = [r for r in chunk if r["id_number"] not in existing]
        person_ids: dict[str, int] = {p.id_number: p.id for p in existing.values()}
        if new_rows:
            values = [{"id_number": r["id_number"], "name": r["name"], "community_id": r["community_id"],
                       "household_id": households.get((r["community_id"], r["household"])) if r["household"] else None,
                       "phone": r["phone"], "hukou_district": r.get("hukou_district"),
                       "hukou_moved_in_on": r.get("hukou_moved_in_date"),
                       "previous_hukou_district": r.get("previous_hukou_district"),
                       "retirement_category": r.get("retirement_category"), "created_at": now} for r in new_rows]
            made = s.execute(insert(Person).returning(Person.id, Person.id_number), values).all()
            by_number = {v["id_number"]: v for v in values}
            for pid, number in made:
                person_ids[number] = pid
                records.append(_plain_record(Person.__table__, {**by_number[number], "id": pid}))
            result.created += len(new_rows)
        status_values, spell_values, ends = [], [], []
        for r in chunk:
            pid = person_ids[r["id_number"]]
            changed = False
            person = existing.get(r["id_number"])
            if person is not None:
                if person.community_id != r["community_id"] and not who.sees(person.community_id):
                    result.rejected.append({"row": r["row"], "column": "社区", "value": r["community"],
                                            "reason": "该身份证号已登记在其他社区"})
                    continue
                place = _hukou_change(person, r, on, result)
                if place is None:
                    continue
                wanted = {"name": r["name"], "phone": r["phone"], "community_id": r["community_id"],
                          "household_id": households.get((r["community_id"], r["household"])) if r["household"]
                          else person.household_id,
                          "hukou_district": place.district, "hukou_moved_in_on": place.moved_in_on,
                          "previous_hukou_district": place.previous,
                          "retirement_category": r.get("retirement_category", person.retirement_category)}
                if r["phone"] is None:
                    wanted["phone"] = person.phone
                before = {k: getattr(person, k) for k in wanted}
                if before != wanted:
                    version = PersonVersion(person_id=pid, values_json=json.dumps(
                        {k: audit.plain(v) for k, v in before.items()}, ensure_ascii=False),
                                            changed_on=on, recorded_by=who.id, recorded_at=now)
                    s.add(version)
                    for k, v in wanted.items():
                        setattr(person, k, v)
                    s.flush()
                    records += [registry_record(person), registry_record(version)]
                    changed = True
            held = current_status.get(pid, [])
            for kind, start, end, details in statuses_of(r, on):
                same_kind = [x for x in held if x.kind == kind]
                if kind in ("low_income", "rural_labour", "veteran", "disabled", "willing") and same_kind:
                    if kind == "willing" and json.loads(same_kind[-1].details_json).get("willing") != details["willing"]:
                        pass                      # a change of mind: a new dated record
                    else:
                        continue
                match = next((x for x in same_kind if x.start_on == start), None)
                if match is not None:
                    if end is not None and match.end_on != end:
                        ends.append((match, end))
                        changed = True
                    continue
                status_values.append({"person_id": pid, "kind": kind, "start_on": start, "end_on": end,
                                      "details_json": json.dumps(details, ensure_ascii=False, sort_keys=True),
                                      "supersedes_id": None, "recorded_by": who.id, "recorded_at": now})
                changed = True
            spells = current_spell.get(pid, [])
            for kind, employer, start in spells_of(r):
                if any(x.kind == kind and x.start_on == start and x.employer == employer for x in spells):
                    continue
                spell_values.append({"person_id": pid, "kind": kind, "employer": employer, "start_on": start,
                                     "end_on": None, "contract": kind == "employee", "insured": False,
                                     "supersedes_id": None, "recorded_by": who.id, "recorded_at": now})
                changed = True
            if person is not None:
                result.updated += changed
                result.unchanged += not changed
        for old, end in ends:
            status_values.append({"person_id": old.person_id, "kind": old.kind, "start_on": old.start_on, "end_on": end,
                                  "details_json": old.details_json, "supersedes_id": old.id, "recorded_by": who.id,
                                  "recorded_at": now})
        for model, rows in ((Status, status_values), (Spell, spell_values)):
            if rows:
                made = s.execute(insert(model).returning(model.id), rows).scalars().all()
                records += [_plain_record(model.__table__, {**v, "id": i}) for v, i in zip(rows, made)]
                result.written[model.__tablename__] = result.written.get(model.__tablename__, 0) + len(rows)
        if records:
            result.written["reg_persons"] = result.written.get("reg_persons", 0) + len(new_rows)
            registry._log(s, who, "registry_import", "reg_import", source[:40], records,
                          {"file": source, "rows": [chunk[0]["row"], chunk[-1]["row"]], "records": len(records)})


def _hukou_change(person, row: dict, on: dt.date, result: ImportResult):
    """The hukou of a known person after the row (``hukou.changed``), or None when it is refused (the
    row then goes to ``result.rejected``)."""
    from . import hukou
    was = hukou.Hukou(person.hukou_district, person.hukou_moved_in_on, person.previous_hukou_district)
    place = hukou.changed(was, row.get("hukou_district", person.hukou_district),
                          row.get("hukou_moved_in_date", hukou.MISSING), row.get("previous_hukou_district", hukou.MISSING))
    found = hukou.problem(place, on=on, birth=hukou.birth_of(person.id_number))
    if found:
        result.rejected.append({"row": row["row"], "column": hukou.LABELS[found[0]], "value": "", "reason": found[1]})
        return None
    if place.note:
        result.notes.append({"row": row["row"], "column": "户籍迁入日期", "reason": place.note})
    return place


def registry_record(obj) -> dict:
    from .service import _record
    return _record(obj)
