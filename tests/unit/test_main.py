"""`python -m backend`: a bad configuration is a clear message and exit status 2, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys


def test_bad_configuration_prints_every_problem_and_exits_2(tmp_path):
    env = {**os.environ, "PSZ_DEMO": "false", "PSZ_CACHE_TTL_SECONDS": "-5", "PSZ_LOG_LEVEL": "LOUD"}
    result = subprocess.run(
        [sys.executable, "-m", "backend", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "PSZ_CACHE_TTL_SECONDS" in result.stderr and "PSZ_LOG_LEVEL" in result.stderr
    assert "PSZ_PHOTOSHELTER_API_KEY" in result.stderr
