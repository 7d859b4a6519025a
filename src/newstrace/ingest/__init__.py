"""Ingest: turn paths (and, later, URLs, feeds, archives) into raw documents or recorded failures."""
from .files import iter_path, iter_inputs, SUPPORTED_SUFFIXES

__all__ = ["iter_path", "iter_inputs", "SUPPORTED_SUFFIXES"]
