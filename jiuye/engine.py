"""Transitional: the assessment core now lives in `jiuye.assess` (situation parsing, evaluation,
dependencies). Kept only while callers move their imports."""

from .assess.dependencies import Dependencies, dependencies, facts_read, parameters_read  # noqa: F401
from .assess.situation import InputError, parse_date  # noqa: F401
