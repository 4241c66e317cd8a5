"""What jiuye keeps per tax-benefit system (the traced dependency map, the fact paths of the costing,
the roster mapping, the explanation templates) is kept while the system lives, and no longer: a
reform system built for a costing and then dropped is collected (functools.cache kept every system
it was given alive forever)."""

from __future__ import annotations

import gc
import weakref

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from jiuye.assess.dependencies import dependencies
from jiuye.batch.reads import fact_paths
from jiuye.batch.reform import build_reform, parse_reform
from jiuye.batch.roster.mapping import mapping_for
from jiuye.explain_templates import templates_of
from jiuye.model.system import get_system

PER_SYSTEM = (dependencies, fact_paths, mapping_for, templates_of)


def _reform(system):
    return build_reform(system, parse_reform(
        {"changes": [{"parameter": "xicheng.c06.max_years", "value": 5}]}, system))


def test_each_is_kept_per_system_and_the_same_on_every_call():
    system = get_system()
    reformed = _reform(system)
    for cached in PER_SYSTEM:
        assert cached(reformed) is cached(reformed), cached.__name__
        assert cached(system) is cached(system), cached.__name__
        assert cached(reformed) is not cached(system), cached.__name__   # a reform has its own
    assert dependencies() is dependencies(system)                     # None: the standard system's
    assert fact_paths(reformed).system is reformed and mapping_for(reformed).system is reformed


def test_a_dropped_reform_system_is_collected():
    system = get_system()
    reformed = _reform(system)
    kept = [cached(reformed) for cached in PER_SYSTEM]
    kept[1].of_measure(next(iter(_measures())))                       # the fact paths used
    gone = weakref.ref(reformed)
    del reformed, kept
    # openfisca-core's own `TaxBenefitSystem.get_parameters_at_instant` is an lru_cache (128
    # entries, shared by every system) keyed by (system, instant): the trace's parameters leave
    # the reform there until 128 later look-ups push it out; jiuye's caches hold nothing else
    TaxBenefitSystem.get_parameters_at_instant.cache_clear()
    gc.collect()
    assert gone() is None
    assert dependencies(system) is dependencies()                     # the standard system's entry stays


def _measures():
    from jiuye.catalogue import load_catalogue
    return load_catalogue().executable()
