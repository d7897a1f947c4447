"""verify's readers of outputs, fed random and mutated files for a bounded time: no
traceback, no hang, and no memory growth past 300 MB (tests/audit/fuzz_outputs.py)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

from tests.conftest import ROOT

CASES = 300  # about 15 s on a busy two-core machine; the seed makes them the same every run
MEMORY_MOST_MIB = 300


def capped() -> None:
    """In the fuzz's process: a case that would take gigabytes fails there, not the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_random_and_mutated_outputs_give_messages_not_tracebacks_within_time_and_memory():
    process = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "tests.audit.fuzz_outputs", "--seed", "1", "--cases", str(CASES)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, preexec_fn=capped, check=False,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr[-3000:]
    report = json.loads(process.stdout)
    assert report["cases"] == CASES
    assert report["failures"] == []
    assert report["peak_mib"] < MEMORY_MOST_MIB
