"""The Dagster code location of dxdata (loaded by workspace.yaml as `pipelines.definitions`).

Modules are named after what they produce or decide: `sources` (article files and their shards)
-> `extraction` (clean text and facts per shard, through the content-addressed `cache` filled by
worker processes running `tasks`) -> `tables` (the published tables; `quarantine` decides which
extracted facts are held back) -> `checks` (pandera-backed asset checks) -> `release` (the
versioned release); plus `sensors`, `schedules`, `resources`, `jobs`, `definitions`, `inputs`
(whether a release run can change anything) and `run` (the `dxdata release` command).
"""
