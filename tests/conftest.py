"""Shared fixtures; hypothesis profiles: the default in `make test`, "stress" (HYPOTHESIS_PROFILE=stress) in `make stress`."""

import os

from hypothesis import settings

settings.register_profile("stress", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
