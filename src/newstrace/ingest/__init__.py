"""Ingest: turn paths (and, later, URLs, feeds, archives) into raw documents or recorded failures."""
from .files import count_inputs, iter_path, iter_inputs, skipped_in_folders, SUPPORTED_SUFFIXES

__all__ = ["count_inputs", "iter_path", "iter_inputs", "skipped_in_folders", "SUPPORTED_SUFFIXES"]
