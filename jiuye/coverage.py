"""Clause coverage: for each document, each clause and how it is accounted for."""

from __future__ import annotations

from .catalogue import Catalogue, load_catalogue

STATUS_LABELS = {"executable": "可计算", "referenced": "金额另行规定", "qualitative": "定性（已编目）",
                 "missing": "缺失"}


def clause_status(records) -> str:
    if not records:
        return "missing"
    executable = [r for r in records if r.executable]
    if any(r.amount != "referenced" for r in executable):
        return "executable"
    if executable:
        return "referenced"
    return "qualitative"


def coverage(catalogue: Catalogue | None = None) -> dict:
    catalogue = catalogue or load_catalogue()
    documents = []
    for key, document in sorted(catalogue.documents.items()):
        by_clause: dict[str, list] = {}
        for measure in catalogue.of_document(key):
            by_clause.setdefault(measure.clause, []).append(measure)
        rows = []
        totals = {status: 0 for status in STATUS_LABELS}
        for clause, title in document.clauses:
            records = by_clause.get(clause, [])
            status = clause_status(records)
            totals[status] += 1
            units = sorted({u for r in records for u in r.responsible_units})
            rows.append({
                "clause": clause, "title": title, "status": status,
                "measures": [r.id for r in records if r.executable],
                "records": [r.id for r in records],
                "responsible_units": units,
                "links": sorted({link for r in records for link in r.links}),
            })
        documents.append({"document": key, "title": document.title, "clauses": rows,
                          "totals": {k: v for k, v in totals.items()}, "count": len(rows)})
    return {"documents": documents,
            "complete": all(d["totals"]["missing"] == 0 for d in documents)}
