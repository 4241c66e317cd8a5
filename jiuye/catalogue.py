"""The clause catalogue: one YAML file per policy document, read as data.

Each `jiuye/model/policies/<key>/catalogue.yaml` holds the document's header (key, file, title,
issuer, status, validity, jurisdiction, its clause list) and one record per measure. Every clause
has at least one record; qualitative clauses are records with kind `qualitative`.
This module never imports district code.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: the catalogue loads 10x faster

POLICIES_DIR = Path(__file__).parent / "model" / "policies"

KINDS = {
    "one_off": "一次性",
    "per_month": "按月",
    "per_year": "按年",
    "loan_ceiling": "贷款额度",
    "interest_subsidy": "贴息",
    "fee_reimbursement": "费用补贴",
    "service": "服务",
    "qualitative": "定性措施",
    "definition": "定义",
}
BENEFICIARIES = {"person": "个人", "organisation": "单位"}
STACKING_POLICIES = {"highest": "按最高额度享受一项", "exclusive": "只能享受其中一项",
                     "sum_cap": "可同时享受，合计不超过上限"}


class CatalogueError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Measure:
    id: str
    clause: str
    document: str
    title: str
    quote: str
    beneficiary: str
    kind: str
    executable: bool
    clause_title: str = ""
    unit: str | None = None          # entity whose rows are assessed (person for per-employee subsidies)
    role: str | None = None          # with unit person and beneficiary organisation: the member role
    variable: str | None = None      # OpenFisca variable prefix of an executable measure
    conditions: tuple = ()           # condition tree: names, {all_of: [...]}, {any_of: [...]}
    parameters: tuple = ()           # parameter paths the amount reads
    responsible_units: tuple = ()
    interpretation: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    stacking: dict | None = None
    amount_note: str | None = None   # e.g. why an amount is set elsewhere ("referenced")
    amount: str = "computed"         # computed | referenced (eligibility here, amount set elsewhere)
    links: tuple = ()                # other clauses this record belongs to (e.g. a task of 附件1)
    cap: dict | None = None          # {parameter: path, per: total | year}: "最高不超过" on the measure's
                                     # installments for one case, over its whole schedule or per calendar year
    audit_waivers: tuple = ()        # [{number: "2021", reason: "…"}]: numbers of the clause text
                                     # that are not amounts of its measures, with the reason
    moment: dict | None = None       # the legal moment: {fact: the qualifying event's date fact, label: "签订劳动合同之日"}
                                     # statuses are judged on that day and the validity window applies to it;
                                     # none: the application (the assessment day)
    limits: tuple = ()               # limits across claims: [{per: person|beneficiary, period: year|ever, count: n,
                                     # measures: [counted together], quote: "每人每年可…享受一次"}] (the ledger enforces them)
    task: dict | None = None         # a task assigned to units (jiuye.supervision): lead_unit, co_units, period, targets

    @property
    def entity(self) -> str:
        return self.unit or self.beneficiary

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["conditions"] = list(self.conditions)
        data["parameters"] = list(self.parameters)
        data["responsible_units"] = list(self.responsible_units)
        return data


@dataclasses.dataclass(frozen=True)
class Document:
    key: str
    file: str
    title: str
    issuer: str
    status: str
    clauses: tuple                    # ((clause id, title), ...) in the document's order
    valid_from: str | None = None
    valid_to: str | None = None
    jurisdiction: dict | None = None
    note: str | None = None
    definitions: dict | None = None   # name -> {label, clause, tree}: named condition groups
    anchors: dict | None = None       # clause -> exact substring where the clause's text begins

    @property
    def path(self) -> Path:
        return shared_dir() / "policies" / self.file

    @functools.cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @functools.cached_property
    def _spans(self) -> dict[str, tuple[int, int]]:
        starts = []
        for clause, _ in self.clauses:
            anchor = (self.anchors or {}).get(clause)
            if anchor is None:
                continue
            position = self.text.find(anchor)
            if position < 0 or self.text.count(anchor) != 1:
                raise CatalogueError(f"{clause}: anchor {anchor!r} must occur exactly once in {self.file}")
            starts.append((position, clause))
        starts.sort()
        spans = {}
        for i, (position, clause) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(self.text)
            spans[clause] = (position, end)
        return spans

    def clause_text(self, clause: str) -> str | None:
        """The clause's own text: from its anchor to the next clause's anchor."""
        span = self._spans.get(clause)
        return self.text[span[0]:span[1]] if span else None


def shared_dir() -> Path:
    """The shared folder beside the checkout (overridable with JIUYE_SHARED)."""
    configured = os.environ.get("JIUYE_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "shared"


_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=\S)|(?<=\S) (?=[^\x00-\x7f])")


def _prose(value):
    """YAML folding puts a space at each line break; Chinese prose has none."""
    return _CJK_SPACE.sub("", value) if isinstance(value, str) else value


def _freeze(value):
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclasses.dataclass(frozen=True)
class Catalogue:
    documents: dict[str, Document]
    measures: dict[str, Measure]

    def measure(self, measure_id: str) -> Measure:
        try:
            return self.measures[measure_id]
        except KeyError:
            raise CatalogueError(f"unknown measure: {measure_id!r} (see `jiuye measures`)") from None

    def executable(self) -> list[Measure]:
        return [m for m in self.measures.values() if m.executable]

    def of_document(self, key: str) -> list[Measure]:
        return [m for m in self.measures.values() if m.document == key]


def _read_yaml(path: Path) -> dict:
    """A catalogue file's data (parsed YAML kept in the cache folder under the file's hash:
    jiuye.cache)."""
    from .cache import cached_yaml

    def parse(text):
        try:
            return yaml.load(text, Loader=SAFE_LOADER) or {}
        except yaml.YAMLError as error:
            raise CatalogueError(f"{path}: {error}") from None
    return cached_yaml(path, parse)


def clause_folders(folder: Path) -> list[Path]:
    """A document folder's clause folders (each with its `clause.yaml`), in name order."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / "clause.yaml").exists())


def _merge_parts(data: dict, parts: list[Path]) -> None:
    for part in parts:
        extra = _read_yaml(part)
        for name in extra.get("definitions") or {}:
            if name in data["definitions"]:
                raise CatalogueError(f"{part}: definition {name} is declared twice")
        data["definitions"].update(extra.get("definitions") or {})
        for raw in extra.get("measures") or []:
            data["measures"].append(raw)
            data.setdefault("_source", {})[raw.get("id")] = part


def load_document_folder(folder: Path) -> tuple[Document, list[Measure]]:
    """A document folder: `document.yaml` (header, clause list), `definitions.yaml` (named condition
    groups), `qualitative.yaml` (records of clauses that grant nothing countable) and one folder per
    clause with its `clause.yaml` (the clause's records). Older layout: `catalogue.yaml` (+
    `catalogue.d/*.yaml`)."""
    if (folder / "document.yaml").exists():
        data = _read_yaml(folder / "document.yaml")
        data.setdefault("definitions", {})
        data.setdefault("measures", [])
        parts = [p for p in (folder / "definitions.yaml", folder / "qualitative.yaml") if p.exists()]
        parts += [p / "clause.yaml" for p in clause_folders(folder)]
        _merge_parts(data, parts)
        order = {c["clause"]: i for i, c in enumerate(data["document"]["clauses"])}
        data["measures"].sort(key=lambda m: order.get(m.get("clause"), len(order)))   # the document's order
    else:
        data = _read_yaml(folder / "catalogue.yaml")
        data.setdefault("definitions", {})
        data.setdefault("measures", [])
        _merge_parts(data, sorted((folder / "catalogue.d").glob("*.yaml"))
                     + [p / "clause.yaml" for p in clause_folders(folder)])   # a document moving to clause folders
    return _document_of(data, folder)


def load_document_file(path: Path) -> tuple[Document, list[Measure]]:
    """A document's records from its folder (`path`: its `catalogue.yaml` or `document.yaml`)."""
    return load_document_folder(path.parent)


def _document_of(data: dict, folder: Path) -> tuple[Document, list[Measure]]:
    head = {k: (str(v) if k in ("valid_from", "valid_to") and v is not None else v)
            for k, v in data["document"].items()}
    raw_clauses = head.pop("clauses")
    clauses = tuple((c["clause"], c.get("title", "")) for c in raw_clauses)
    anchors = {c["clause"]: c["anchor"] for c in raw_clauses if c.get("anchor")}
    definitions = data.get("definitions") or {}
    document = Document(clauses=clauses, definitions=definitions, anchors=anchors, **head)
    titles = dict(clauses)
    measures = []
    for raw in data.get("measures", []):
        raw = dict(raw)
        raw.setdefault("document", document.key)
        raw.setdefault("clause_title", titles.get(raw.get("clause"), ""))
        raw.setdefault("valid_from", document.valid_from)
        raw.setdefault("valid_to", document.valid_to)
        for key in ("interpretation", "amount_note"):
            raw[key] = _prose(raw.get(key))
        if "conditions" in raw:
            raw["conditions"] = expand_tree(raw["conditions"], definitions)
        if "audit_waivers" in raw:
            raw["audit_waivers"] = tuple(dict(w, number=str(w["number"])) for w in raw["audit_waivers"])
        for key in ("parameters", "responsible_units", "links"):
            if key in raw:
                raw[key] = _freeze(raw[key])
        for key in ("valid_from", "valid_to"):
            if raw.get(key) is not None:
                raw[key] = str(raw[key])
        try:
            measures.append(Measure(**raw))
        except TypeError as error:
            source = (data.get("_source") or {}).get(raw.get("id"), folder)
            raise CatalogueError(f"{source}: measure {raw.get('id')}: {error}") from None
    return document, measures


@functools.cache
def load_catalogue(policies_dir: Path = POLICIES_DIR) -> Catalogue:
    documents: dict[str, Document] = {}
    measures: dict[str, Measure] = {}
    folders = sorted(p for p in policies_dir.iterdir()
                     if (p / "document.yaml").exists() or (p / "catalogue.yaml").exists())
    for folder in folders:
        document, items = load_document_folder(folder)
        documents[document.key] = document
        for measure in items:
            if measure.id in measures:
                raise CatalogueError(f"duplicate measure id {measure.id}")
            measures[measure.id] = measure
    from .cache import save_yaml
    save_yaml()
    return Catalogue(documents, measures)


def expand_tree(tree, definitions: dict) -> tuple:
    """Replace each name of a definition by {all_of: its tree, label, clause, definition}.

    A leaf is a condition variable or a boolean fact (the fact's label is the clause's words);
    {not: leaf-or-group, label: …, clause: …} holds when its part does not (a clause that excludes
    the fact: "不得同时享受…")."""
    expanded = []
    for node in tree:
        if isinstance(node, str) and node in definitions:
            spec = definitions[node]
            kind = node_kind(spec)
            expanded.append({kind: expand_tree(spec[kind], definitions), "label": spec["label"],
                             "clause": spec["clause"], "definition": node})
        elif isinstance(node, str):
            expanded.append(node)
        elif "not" in node:
            inner = node["not"]
            if not node.get("label"):
                raise CatalogueError(f"a not: node needs the clause's words as its label: {node}")
            expanded.append({**node, "not": expand_tree([inner], definitions)[0]})
        else:
            kind = "all_of" if "all_of" in node else "any_of"
            expanded.append({**node, kind: expand_tree(node[kind], definitions)})
    return tuple(expanded)


def node_kind(node: dict) -> str:
    if "not" in node:
        return "not"
    return "all_of" if "all_of" in node else "any_of"


def node_children(node: dict) -> list:
    """The parts of a group node (all_of / any_of / not)."""
    kind = node_kind(node)
    return [node["not"]] if kind == "not" else list(node[kind])


def condition_names(tree) -> list[str]:
    """All condition variable names in a condition tree, in order."""
    names: list[str] = []
    for node in tree:
        if isinstance(node, str):
            names.append(node)
        else:
            names.extend(condition_names(node_children(node)))
    return names
