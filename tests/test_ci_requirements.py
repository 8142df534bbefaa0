"""In CI a missing test tool fails the run; elsewhere it skips, naming what is missing."""

from __future__ import annotations

import pytest

from ci_requirements import in_ci, require, require_module

MISSING = "dxdata_no_such_module_for_this_test"


@pytest.mark.parametrize("value, expected", [("", False), ("0", False), ("false", False), ("FALSE", False),
                                             ("true", True), ("1", True), ("yes", True)])
def test_ci_is_any_value_but_empty_zero_or_false(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_missing_module_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needed for S3"):
        require_module(MISSING, "needed for S3")
    with pytest.raises(pytest.skip.Exception, match="no browser"):
        require(False, "no browser")


def test_missing_module_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"CI must run these tests, but {MISSING}"):
        require_module(MISSING, "needed for S3")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test, but: no browser"):
        require(False, "no browser")


def test_present_module_is_returned_in_and_out_of_ci(monkeypatch):
    for value in ("", "true"):
        monkeypatch.setenv("CI", value)
        assert require_module("json", "stdlib").dumps([1]) == "[1]"
        require(True, "never raised")
