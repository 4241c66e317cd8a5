"""The assessment core: situations and populations in, three-valued vectorised evaluation out.

* `situation.py` — strict input: an OpenFisca situation (JSON) checked against every fact's
  declared type and range, as a `Population`; errors name the field, in Chinese.
* `population.py` — a population as arrays (persons, organisations, memberships, facts given).
* `evaluation.py` — `Evaluation`: the model's formulas run three-valued over a population.
* `results.py` — measure by measure: status, schedule, amounts, stacking, reasons (vectorised).

Engine-generic: reads the catalogue and the tax-benefit system; imports no district.
"""
