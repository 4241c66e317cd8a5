"""The process settings of jiuye.runtime: the model's objects are frozen out of the cyclic
collector once it is built."""

import gc

from jiuye.model.system import get_system


def test_the_built_model_is_frozen_out_of_the_collector():
    system = get_system()
    assert gc.get_freeze_count() > 50_000           # the model's variables, formulas and parameters
    assert all(o is not system for o in gc.get_objects(generation=2))   # frozen: in no generation
