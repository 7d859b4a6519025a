"""Batch processing of archives with Spark: the pipeline's own stage functions over partitions, Parquet out."""
from __future__ import annotations

from .job import BatchJob, JobReport, run_batch

__all__ = ["BatchJob", "JobReport", "run_batch"]
