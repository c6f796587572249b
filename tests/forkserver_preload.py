"""Imported once by the tests' forkserver, so every run it forks starts warm.

A fresh ``newswire run`` process spends 5-20 s importing Prefect, pandas, Great Expectations
and loading spaCy before it does any work; the crash and concurrency tests start over a dozen
runs. Forked from this warm process, each run is still a real, separate OS process that a test
can SIGKILL; it just skips the imports.
"""

import great_expectations  # noqa: F401

import flows.commands.cli
import flows.pipeline  # noqa: F401
from flows.orchestration import runners

runners.entity_extractor(1)  # loads the spaCy model into the process-wide cache
