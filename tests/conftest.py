"""Test-suite settings: hypothesis runs a fixed, reproducible sequence of examples, so a red CI
run can always be replayed. Explore new examples locally with ``--hypothesis-seed=N``."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("augkit", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("augkit")
