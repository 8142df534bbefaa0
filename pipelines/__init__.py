"""The Dagster code location of dxdata (loaded by workspace.yaml as `pipelines.definitions`).

Modules are named after what they produce: `sources` (article files and their partitions) ->
`extraction` (clean text and facts per source) -> `tables` (the published tables) -> `checks`
(pandera-backed asset checks) -> `release` (the versioned release); plus `sensors`,
`schedules`, `resources`, `jobs`, `definitions` and `run` (the `dxdata release` command).
"""
