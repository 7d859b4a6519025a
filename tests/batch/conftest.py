"""A local[2] Spark session shared by the batch unit tests of one module."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def spark():
    from newstrace.batch.session import spark_session
    s = spark_session("local[2]", shuffle_partitions=4)
    yield s
    s.stop()
