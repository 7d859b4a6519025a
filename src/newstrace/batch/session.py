"""The Spark session: local settings that make `local[*]` work in a venv, nothing that stops spark-submit deciding."""
from __future__ import annotations

import os
import sys
from typing import Any


def spark_session(master: str | None = None, app_name: str = "newstrace-batch", shuffle_partitions: int | None = None) -> Any:
    """A SparkSession; `master` None leaves the choice to spark-submit (else local[*])."""
    # Workers must run this interpreter (the venv with newstrace and its models), not the system python.
    # On a cluster spark-submit's own settings (spark.pyspark.python, --archives venv) take precedence.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master is None or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName(app_name)
    if master:
        b = b.master(master)
    b = (b.config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          # Spark already runs one task per core: the enrich stage must not fork its own NLP workers inside it.
          .config("spark.executorEnv.NEWSTRACE_NLP_PROCESSES", "1")
          # ...nor run multi-threaded BLAS/torch kernels that compete with the other tasks on the same cores.
          .config("spark.executorEnv.OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
          .config("spark.executorEnv.MKL_NUM_THREADS", os.environ.get("MKL_NUM_THREADS", "1"))
          .config("spark.executorEnv.HF_HUB_OFFLINE", "1")
          .config("spark.executorEnv.TRANSFORMERS_OFFLINE", "1")
          .config("spark.sql.adaptive.enabled", "true"))
    if master is not None and master.startswith("local"):
        # In local mode the driver JVM is also the executor: Spark's 1 GB default heap ran out in the link
        # steps at 5,000 articles (java.lang.OutOfMemoryError). A cap, not a reservation; on a cluster
        # spark-submit's --driver-memory/--executor-memory decide.
        b = b.config("spark.driver.memory", os.environ.get("NEWSTRACE_SPARK_DRIVER_MEMORY", "4g"))
    if shuffle_partitions:
        b = b.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    os.environ.setdefault("NEWSTRACE_NLP_PROCESSES", "1")
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
