"""newstrace: makes sense of the news as it arrives from many outlets."""
__version__ = "0.1.0"
