"""What a test needs from outside the Python code, and whether its absence may skip the test.

On a developer's machine a missing optional tool (moto's S3 server, Chromium, an old DuckDB)
skips the tests that need it, with the reason. In CI (the `CI` variable set to anything but
"", "0" or "false", as .ci/run sets it) the same absence is a failure: CI exists to run those
tests, and a skip there would report a green run that tested nothing."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def require_module(name: str, why: str) -> ModuleType:
    """Import `name`; outside CI a missing module skips the calling test module, in CI it fails."""
    if not in_ci():
        return pytest.importorskip(name, reason=why)
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        pytest.fail(f"CI must run these tests, but {name} cannot be imported ({exc}): {why}", pytrace=False)


def require(condition: bool, why: str) -> None:
    """A test's precondition: outside CI an unmet one skips the test, in CI it fails."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI must run this test, but: {why}", pytrace=False)
    pytest.skip(why)
