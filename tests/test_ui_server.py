"""The real UI: `dagster dev` on 127.0.0.1 against workspace.yaml, driven over its GraphQL API.

One server start for the whole test; the server runs in its own process group (webserver,
daemon and code server) and is stopped with SIGTERM to that group."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_pipeline_support import REPO, TEST_ARTICLE, TEST_ID, extract_engine, stop_process_group, world, write_article  # noqa: F401  (fixtures)

START_TIMEOUT = 120
RUN_TIMEOUT = 240
LOCATION = "dxdata"
REPOSITORY = "__repository__"

WORKSPACE_QUERY = """
query Workspace {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        locationOrLoadError {
          __typename
          ... on PythonError { message }
          ... on RepositoryLocation {
            repositories {
              name
              jobs { name }
              schedules { name cronSchedule executionTimezone scheduleState { status } }
              sensors { name sensorState { status } }
              assetNodes { assetKey { path } }
            }
          }
        }
      }
    }
    ... on PythonError { message }
  }
}
"""

LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""

TOGGLE_SCHEDULE = """
mutation Start($selector: ScheduleSelector!) {
  startSchedule(scheduleSelector: $selector) {
    __typename
    ... on ScheduleStateResult { scheduleState { status } }
    ... on PythonError { message }
  }
}
"""

SCHEDULE_STATUS = """
query Schedule($selector: ScheduleSelector!) {
  scheduleOrError(scheduleSelector: $selector) {
    __typename
    ... on Schedule { scheduleState { status } }
  }
}
"""

RUN_LOGS = """
query Logs($id: ID!) {
  logsForRun(runId: $id) {
    __typename
    ... on EventConnection { events { __typename ... on MessageEvent { message stepKey } } }
  }
}
"""

# What the UI sends for "Materialize all" with every partition chosen in its partitions dialog.
LAUNCH_BACKFILL = """
mutation Backfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}
"""
BACKFILL_STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status runs { runId status } }
  }
}
"""

RUN_STATUS = """
query Run($id: ID!) {
  runOrError(runId: $id) {
    __typename
    ... on Run { status }
  }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log: Path):
        self.url, self.process, self.log = url, process, log

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.load(response)
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def server(world, tmp_path):
    port = free_port()
    log = tmp_path / "dagster-dev.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: webserver, daemon and code server
        )
    running = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"dagster dev exited early:\n{running.log_tail()}"
            try:
                with urllib.request.urlopen(f"{running.url}/server_info", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, f"dagster dev did not serve within {START_TIMEOUT} s:\n{running.log_tail()}"
                time.sleep(1)
        yield running
    finally:
        stop_process_group(process)


def test_ui_lists_the_code_location_and_runs_the_release_job(server, world):
    data = server.graphql(WORKSPACE_QUERY)["workspaceOrError"]
    assert data["__typename"] == "Workspace", data
    [entry] = [e for e in data["locationEntries"] if e["name"] == LOCATION]
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location.get("message")
    [repo] = location["repositories"]
    assert "release_job" in {j["name"] for j in repo["jobs"]}
    [schedule] = [s for s in repo["schedules"] if s["name"] == "weekly_release_schedule"]
    assert (schedule["name"], schedule["executionTimezone"]) == ("weekly_release_schedule", "Asia/Ho_Chi_Minh")
    assert schedule["scheduleState"]["status"] == "STOPPED"
    # Capturing the web has its own job and schedule, stopped until an operator turns it on.
    assert {s["name"]: s["scheduleState"]["status"] for s in repo["schedules"]} == {
        "weekly_release_schedule": "STOPPED", "capture_job_schedule": "STOPPED"}
    assert {"release_job", "capture_job"} <= {j["name"] for j in repo["jobs"]}
    assert [s["name"] for s in repo["sensors"]] == ["article_sources_sensor"]
    assets = {"/".join(node["assetKey"]["path"]) for node in repo["assetNodes"]}
    assert {"article_files", "article_text", "article_facts", "workforce", "rankings", "sources", "conflicts", "release"} <= assets

    selector = {"repositoryLocationName": LOCATION, "repositoryName": repo["name"]}

    # The weekly schedule can be switched on from the UI (it would first fire on a Monday 06:00).
    schedule_selector = {**selector, "scheduleName": "weekly_release_schedule"}
    started = server.graphql(TOGGLE_SCHEDULE, {"selector": schedule_selector})["startSchedule"]
    assert started["__typename"] == "ScheduleStateResult", started
    status = server.graphql(SCHEDULE_STATUS, {"selector": schedule_selector})["scheduleOrError"]["scheduleState"]["status"]
    assert status == "RUNNING"
    # A plain launch of the job, naming no partition (the launchpad's default, issue 11): every
    # registered source is built and released.
    params = {"selector": {**selector, "jobName": "release_job"}}
    run_id = launch(server, params)
    assert (world.releases / "LATEST").read_text().strip() == "1.0.0"

    # A new article, and the same plain launch: the new source reaches the release, the others
    # are not extracted again (they come from the extraction cache).
    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    run_id = launch(server, params)
    assert (world.releases / "LATEST").read_text().strip() == "1.1.0"
    messages = [e.get("message") or "" for e in server.graphql(RUN_LOGS, {"id": run_id})["logsForRun"]["events"]]
    [extracted] = [m for m in messages if m.startswith("extracted ")]
    assert extracted.startswith(f"extracted 1 source(s) ['{TEST_ID}']"), extracted
    assert "reused 1 unchanged" in extracted

    # "Materialize all" in the asset graph: a backfill of every release asset over all shards,
    # which the daemon of `dagster dev` runs. Nothing changed, so it succeeds and publishes nothing.
    release_assets = sorted(assets - {"article_files", "watched_sources"})
    backfill = server.graphql(LAUNCH_BACKFILL, {"params": {
        "assetSelection": [{"path": key.split("/")} for key in release_assets], "allPartitions": True}})["launchPartitionBackfill"]
    assert backfill["__typename"] == "LaunchBackfillSuccess", backfill
    deadline = time.monotonic() + RUN_TIMEOUT
    state = None
    while time.monotonic() < deadline:
        state = server.graphql(BACKFILL_STATUS, {"id": backfill["backfillId"]})["partitionBackfillOrError"]
        if state.get("status") not in ("REQUESTED", None):
            break
        time.sleep(2)
    assert state["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), f"{state}\n{server.log_tail()}"
    assert state["runs"] and all(run["status"] == "SUCCESS" for run in state["runs"]), state
    assert (world.releases / "LATEST").read_text().strip() == "1.1.0"


def launch(server, params) -> str:
    """Launch a run as the UI does and wait for it to succeed; returns its id."""
    launched = server.graphql(LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + RUN_TIMEOUT
    status = None
    while time.monotonic() < deadline:
        status = server.graphql(RUN_STATUS, {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS", f"run {run_id} ended {status}:\n{server.log_tail()}"
    return run_id
