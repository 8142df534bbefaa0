"""The code location: one `Definitions` object assembled from the modules of this package."""

from __future__ import annotations

from dagster import Definitions, colored_console_logger

from pipelines.capture import capture_job, capture_schedule, watched_sources
from pipelines.checks import all_checks
from pipelines.extraction import article_facts, article_text, official_facts, press_facts
from pipelines.jobs import release_job
from pipelines.release import release
from pipelines.run import progress_logger_def
from pipelines.review import review_queue, review_queue_check, source_facts
from pipelines.resources import Warehouse, WarehouseParquetIOManager
from pipelines.schedules import weekly_release_schedule
from pipelines.sensors import article_sources_sensor
from pipelines.sources import article_files
from pipelines.tables import table_assets

defs = Definitions(
    assets=[article_files, article_text, article_facts, source_facts, official_facts, press_facts, *table_assets, review_queue, release, watched_sources],
    asset_checks=[*all_checks, review_queue_check],
    jobs=[release_job, capture_job],
    schedules=[weekly_release_schedule, capture_schedule],
    sensors=[article_sources_sensor],
    resources={"warehouse": Warehouse(), "warehouse_io_manager": WarehouseParquetIOManager()},
    # `console` stays the default for UI runs; `dxdata release` picks `progress` in its run config.
    loggers={"console": colored_console_logger, "progress": progress_logger_def()},
)
