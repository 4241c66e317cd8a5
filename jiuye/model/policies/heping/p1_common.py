"""Kept for duties.py (another brief's file), which imports `near_retirement` from here; the shared
helpers live in common.py."""

from .common import near_retirement  # noqa: F401
