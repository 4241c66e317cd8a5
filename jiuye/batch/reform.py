"""A reform as data: parameter changes in a YAML file, checked, then applied with OpenFisca's
reform mechanism (`Reform` + `modify_parameters`).

    title: 岗位补贴标准提高（测算）
    description: 西城区第6条岗位补贴按合同年依次提高到8000、10000、15000元
    changes:
      - parameter: xicheng.c06.post_subsidy          # a scale: its brackets
        brackets:
          - {threshold: 1, amount: 8000}
          - {threshold: 2, amount: 10000}
          - {threshold: 3, amount: 15000}
      - parameter: xicheng.c10.monthly_amount       # a value
        value: 2500
        from: 2026-01-01                            # optional: from this date on (default: at every date)
        until: 2026-12-31                           # optional

Every mistake is named with its place in the file (`changes[1].parameter: unknown parameter
'xicheng.c06.post_subsidi' — did you mean xicheng.c06.post_subsidy?`).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
from pathlib import Path

import yaml

from ..day import DayError, parse_day

CHANGE_KEYS = {"parameter", "value", "brackets", "from", "until", "note"}
TOP_KEYS = {"title", "description", "changes", "source"}


class ReformError(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclasses.dataclass
class Change:
    parameter: str
    value: float | bool | None = None
    brackets: list | None = None        # [(threshold, amount)]
    start: str | None = None
    stop: str | None = None
    note: str | None = None


@dataclasses.dataclass
class ReformSpec:
    title: str
    description: str
    changes: list
    source: str = ""

    def to_data(self) -> dict:
        """The reform as plain data (JSON-able; what workers receive)."""
        out = {"title": self.title, "description": self.description, "changes": []}
        for c in self.changes:
            item = {"parameter": c.parameter}
            if c.brackets is not None:
                item["brackets"] = [{"threshold": t, "amount": a} for t, a in c.brackets]
            else:
                item["value"] = c.value
            if c.start:
                item["from"] = c.start
            if c.stop:
                item["until"] = c.stop
            out["changes"].append(item)
        return out


def load_reform(path: Path, system) -> ReformSpec:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReformError(str(path), f"无法读取改革方案文件：{error.strerror}") from None
    except yaml.YAMLError as error:
        raise ReformError(str(path), f"改革方案文件不是有效的YAML：{error}") from None
    spec = parse_reform(data, system, where=path.name)
    spec.source = str(path)
    return spec


def _parameter_names(node, prefix="") -> list[str]:
    from openfisca_core.parameters import ParameterNode
    names = []
    for key, child in node.children.items():
        name = f"{prefix}{key}"
        if isinstance(child, ParameterNode):
            names.extend(_parameter_names(child, name + "."))
        else:
            names.append(name)
    return names


def _find(system, name: str):
    node = system.parameters
    for part in name.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            return None
        node = children[part]
    return node


def _date(value, where: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return parse_day(value if isinstance(value, str) else str(value)).isoformat()
    except DayError as error:
        raise ReformError(where, str(error)) from None


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ReformError(where, f"应为数字，而不是{value!r}")
    return value


def _mapping(data, keys, where: str, expected: str) -> None:
    """`data` is a mapping whose keys are among `keys` (else the error names the first unknown one)."""
    if not isinstance(data, dict):
        raise ReformError(where, expected)
    unknown = set(data) - keys
    if unknown:
        raise ReformError(f"{where}.{sorted(unknown)[0]}", f"无法识别的键（可用的键：{'、'.join(sorted(keys))}）")


def parse_reform(data, system, where: str = "reform") -> ReformSpec:
    from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale
    _mapping(data, TOP_KEYS, where, "应为含title和changes的映射")
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise ReformError(f"{where}.changes", "应为参数修改的列表，且不能为空")
    names = None
    out = []
    for i, item in enumerate(changes):
        here = f"changes[{i}]"
        _mapping(item, CHANGE_KEYS, here, "每项修改应为含parameter以及value或brackets的映射")
        name = item.get("parameter")
        if not isinstance(name, str) or not name:
            raise ReformError(f"{here}.parameter", "缺少参数名（以点分隔的参数名，如xicheng.c06.post_subsidy）")
        node = _find(system, name)
        if isinstance(node, ParameterNode):
            inner = ", ".join(f"{name}.{k}" for k in list(node.children)[:6])
            raise ReformError(f"{here}.parameter", f"{name!r}是一组参数，不是单个参数（其中有{inner}）")
        if node is None:
            names = names or _parameter_names(system.parameters)
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = f"（是否指{close[0]}？）" if close else ""
            raise ReformError(f"{here}.parameter", f"没有名为{name!r}的参数{hint}")
        start = _date(item["from"], f"{here}.from") if item.get("from") is not None else None
        stop = _date(item["until"], f"{here}.until") if item.get("until") is not None else None
        if start and stop and stop < start:
            raise ReformError(f"{here}.until", f"截止日期{stop}早于起始日期{start}")
        change = Change(name, start=start, stop=stop, note=item.get("note"))
        if isinstance(node, ParameterScale):
            if "value" in item:
                raise ReformError(f"{here}.value", f"{name}是分档参数：请给出各档（brackets），而不是单个值（value）")
            brackets = item.get("brackets")
            if not isinstance(brackets, list) or not brackets:
                raise ReformError(f"{here}.brackets", "应为各档的列表（每档为{threshold, amount}），且不能为空")
            parsed = []
            for j, bracket in enumerate(brackets):
                at = f"{here}.brackets[{j}]"
                if not isinstance(bracket, dict) or set(bracket) - {"threshold", "amount", "rate"}:
                    raise ReformError(at, "每档应为{threshold: 数字, amount: 数字}")
                if "threshold" not in bracket:
                    raise ReformError(f"{at}.threshold", "缺少该项")
                value_key = "amount" if "amount" in bracket else "rate"
                if value_key not in bracket:
                    raise ReformError(f"{at}.amount", "缺少该项")
                parsed.append((_number(bracket["threshold"], f"{at}.threshold"),
                               _number(bracket[value_key], f"{at}.{value_key}")))
            thresholds = [t for t, _ in parsed]
            if thresholds != sorted(thresholds) or len(set(thresholds)) != len(thresholds):
                raise ReformError(f"{here}.brackets", "各档的起点（threshold）应逐档递增")
            if len(parsed) != len(node.brackets) and (start or stop):
                raise ReformError(f"{here}.brackets", f"{name}有{len(node.brackets)}档；改变档数的修改适用于所有日期"
                                                      f"（请去掉from/until）")
            change.brackets = parsed
        elif isinstance(node, Parameter):
            if "brackets" in item:
                raise ReformError(f"{here}.brackets", f"{name}是单个值的参数：请给出value，而不是brackets")
            if "value" not in item:
                raise ReformError(f"{here}.value", "缺少该项")
            current = node.values_list[0].value if node.values_list else None
            value = item["value"]
            if isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ReformError(f"{here}.value", f"{name}是“是/否”参数，应为true或false，而不是{value!r}")
            else:
                value = _number(value, f"{here}.value")
            change.value = value
        else:
            raise ReformError(f"{here}.parameter", f"{name}不能通过改革方案修改")
        out.append(change)
    title = str(data.get("title") or "改革方案")
    return ReformSpec(_prose(title), _prose(str(data.get("description") or "")), out)


def _prose(text: str) -> str:
    """YAML folding puts a space at each line break; Chinese prose has none."""
    import re
    return re.sub(r"(?<=[^\x00-\x7f]) (?=\S)|(?<=\S) (?=[^\x00-\x7f])", "", text).strip()


def _start_of(node) -> str:
    """The earliest date a parameter (or a scale's brackets) has a value."""
    from openfisca_core.parameters import ParameterScale
    if isinstance(node, ParameterScale):
        dates = [v.instant_str for b in node.brackets for p in b.children.values() for v in p.values_list]
    else:
        dates = [v.instant_str for v in node.values_list]
    return min(dates) if dates else "1900-01-01"


def build_reform(system, spec: ReformSpec):
    """The reformed tax-benefit system (an OpenFisca Reform of `system`)."""
    from openfisca_core import periods
    from openfisca_core.parameters import ParameterScale
    from openfisca_core.reforms import Reform

    def modify(parameters):
        for change in spec.changes:
            parent_name, _, key = change.parameter.rpartition(".")
            parent = parameters
            for part in (parent_name.split(".") if parent_name else []):
                parent = parent.children[part]
            node = parent.children[key]
            start = periods.instant(change.start or _start_of(node))
            stop = periods.instant(change.stop) if change.stop else None
            if isinstance(node, ParameterScale):
                if len(change.brackets) == len(node.brackets):
                    for bracket, (threshold, amount) in zip(node.brackets, change.brackets):
                        value_key = "amount" if "amount" in bracket.children else "rate"
                        bracket.children["threshold"].update(start=start, stop=stop, value=threshold)
                        bracket.children[value_key].update(start=start, stop=stop, value=amount)
                else:                         # another number of brackets: a new scale, at every date
                    value_key = "amount" if node.brackets and "amount" in node.brackets[0].children else "rate"
                    data = {"description": node.description, "metadata": copy.deepcopy(node.metadata),
                            "brackets": [{"threshold": {str(start): t}, value_key: {str(start): a}}
                                         for t, a in change.brackets]}
                    new = ParameterScale(node.name, data, node.file_path)
                    parent.children[key] = new
                    setattr(parent, key, new)
            else:
                node.update(start=start, stop=stop, value=change.value)
        return parameters

    class YamlReform(Reform):
        name = spec.title

        def apply(self):
            self.modify_parameters(modifier_function=modify)

    return YamlReform(system)


def describe_changes(system, reformed, spec: ReformSpec, on: dt.date) -> list[dict]:
    """Each change: the parameter, its description, the value before and after at `on`."""
    rows = []
    for change in spec.changes:
        before = _value_at(system, change.parameter, on)
        after = _value_at(reformed, change.parameter, on)
        node = _find(system, change.parameter)
        rows.append({"parameter": change.parameter, "description": getattr(node, "description", "") or "",
                     "before": before, "after": after, "from": change.start or "（各日期）", "until": change.stop or ""})
    return rows


def _value_at(system, name: str, on: dt.date):
    node = system.get_parameters_at_instant(on.isoformat())
    for part in name.split("."):
        node = node[part]
    if hasattr(node, "thresholds"):
        return "；".join(f"{t:g}起 {a:,.0f}" for t, a in zip(node.thresholds, node.amounts))
    return node
