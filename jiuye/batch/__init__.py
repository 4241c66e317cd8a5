"""Batch work: rosters, synthetic populations, 免申即享 matching and 财政测算 costing, at scale.

Engine-independent like `jiuye.assess` and `jiuye.explain`: everything here is driven by the clause
catalogue and the tax-benefit system (its variables, entities, parameters and dependency map). No
module of this package imports a district (`jiuye.model.policies.*`).

* `population` — the in-memory population (arrays of facts, which of them are given, memberships)
  and building one vectorised OpenFisca simulation from it;
* `roster/` (+ `roster.yaml`) — reading persons, organisations and contracts from CSV, Excel or
  Parquet, with a row-level error report (files, mapping, conversion, assembly; ID numbers checked
  by `jiuye.ids`);
* `synth` — a seeded synthetic population (distributions in docs/synthetic-population.md);
* `evaluate` — three-valued eligibility (eligible / undetermined / ineligible), the facts still
  missing, amounts, vectorised over a whole population (`Evaluator`); `eligibility` — its
  short-circuited condition trees; `cases` — a month's cases of each measure; `results` — the
  answers' arrays (`MatchRows`, `CostRows`, `Monthly`);
* `match` — outreach lists (免申即享) and `claims` — what the ledger already holds;
* `reform`, `costing`, `report` — yearly cost and head-count, baseline against a reform;
* `partition` — chunks by organisation, run in-process or on Dask workers.
"""
