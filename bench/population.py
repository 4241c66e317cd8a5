"""Moved: the synthetic population now lives in the package (issue 6), so `jiuye synth`, the tests
and the benchmarks share one generator. This module re-exports it so existing imports keep working:

    from bench.population import generate_population, build_simulation

* `jiuye.batch.synth` — the generator (`generate_population`, `PERSON_GENERATORS`,
  `ORG_GENERATORS`, `generic_fact`, the district shares);
* `jiuye.batch.population` — `Population`, `build_simulation`, `input_facts`.

With its defaults (`district="xicheng"`) `generate_population` returns exactly the population this
module generated before the move, and `build_simulation` builds the same plain OpenFisca
simulation (its `fast_roles` option, on by default, caches each role's membership mask; results
identical).
"""

from jiuye.batch.population import ROLE_KEYS, Population, build_simulation, input_facts  # noqa: F401
from jiuye.batch.synth import *  # noqa: F401,F403
from jiuye.batch.synth import (ORG_GENERATORS, PERSON_GENERATORS, _Ctx, generate_population,  # noqa: F401
                               generic_fact)
