"""Hand-written mutations of the release, publish, verify and run code (issue 16): each is
applied, the tests that should notice it are run, and the file is restored. Every mutation must
be KILLED. Usage: python scripts/mutations_reliability.py [name ...] (from the repository root,
PYTHONPATH=. ; about 3 minutes for all). Not run in CI."""
import os
import subprocess
import sys

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MUTS = {
 "lock_noop": ("dxdata/release.py", 'return durable.exclusive(releases_dir / ".lock", f"publishing into {releases_dir}", timeout=timeout)',
               'import contextlib; return contextlib.nullcontext()', "tests/test_reliability_release.py -k lock"),
 "latest_trusts_LATEST": ("dxdata/release.py", "    versions = list_versions(releases_dir)\n    return versions[-1] if versions else None",
               "    versions = list_versions(releases_dir)\n    return read_latest(releases_dir) or (versions[-1] if versions else None)", "tests/test_reliability_release.py -k latest_version"),
 "no_repair": ("dxdata/release.py", "        repaired = reconcile_catalogue(releases_dir)\n", "        repaired = []\n", "tests/test_reliability_release.py -k repairs"),
 "publish_index_only": ("dxdata/publish.py", '    remote = _remote_objects(client, bucket, f"{prefix}{version}/")', "    remote = {}", "tests/test_reliability_publish.py -k interrupted"),
 "pending_not_freed": ("pipelines/run.py", " | {step.run_id for step in info.pending_steps}", "", "tests/test_reliability_runs.py -k never_claiming"),
 "no_dir_fsync_after_rename": ("dxdata/release.py", '            crash_point("release folder: renamed")\n            durable.fsync_dir(releases_dir)', '            crash_point("release folder: renamed")', "tests/test_reliability_release.py -k fsync"),
 "no_run_lock": ("pipelines/run.py", '''        with durable.exclusive(paths.warehouse_dir() / RUN_LOCK, "a release run (`dxdata release`)",
                               on_wait=lambda text: print(text, flush=True)):''', "        if True:", "tests/test_reliability_runs.py -k second_release"),
 "run_no_repair": ("pipelines/run.py", "            for problem in reconcile_catalogue(releases):", "            for problem in []:",
               "tests/test_reliability_runs.py -k repairs"),
 "no_key_check": ("pipelines/resources.py", 'f"{paths.safe_name(partition_key)}.parquet"', 'f"{partition_key}.parquet"', "tests/test_reliability_runs.py -k unsafe"),
 "verify_no_index": ("dxdata/verify.py", "    index_problems, indexed = _check_index(path, index)", "    index_problems, indexed = [], False", "tests/test_reliability_release.py -k 'descriptor_flips_fail or index_hashes'"),
 "verify_no_extra": ("dxdata/verify.py", "        problems.append(f\"{extra}: not part of the release (not listed in {DATAPACKAGE})\")", "        pass", "tests/test_reliability_release.py -k extra_unlisted"),
 "verify_no_views": ("dxdata/verify.py", '        if "views" in meta:', '        if False:', "tests/test_reliability_release.py -k database_schema"),
}
names = sys.argv[1:] or list(MUTS)
survived = 0
for name in names:
    path, old, new, tests = MUTS[name]
    src = open(path).read()
    assert src.count(old) == 1, (name, src.count(old))
    open(path, "w").write(src.replace(old, new))
    try:
        r = subprocess.run(f"timeout 400 {sys.executable} -m pytest -q -x -p no:cacheprovider {tests}", shell=True, capture_output=True, text=True)
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
        print(f"{name}: {'KILLED' if r.returncode else 'SURVIVED'} ({last})", flush=True)
        survived += not r.returncode
    finally:
        open(path, "w").write(src)
sys.exit(1 if survived else 0)
