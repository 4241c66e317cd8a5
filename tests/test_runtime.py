"""The process settings of jiuye.runtime: the model's objects are frozen out of the cyclic
collector once it is built, and the young generation's threshold is raised unless the process
chose its own."""

import gc
import subprocess
import sys

from jiuye.model.system import get_system
from jiuye.runtime import YOUNG_THRESHOLD


def test_the_built_model_is_frozen_out_of_the_collector():
    system = get_system()
    assert gc.get_freeze_count() > 100_000          # the model's variables, formulas and parameters
    assert all(o is not system for o in gc.get_objects(generation=2))   # frozen: in no generation


def _threshold_after(setup: str) -> int:
    code = f"import gc; {setup}; from jiuye.runtime import settle_heap; settle_heap(); print(gc.get_threshold()[0])"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_the_young_threshold_is_raised_from_the_default_only():
    assert _threshold_after("pass") == YOUNG_THRESHOLD
    assert _threshold_after("gc.set_threshold(5000, 10, 10)") == 5000     # the process's own setting wins
