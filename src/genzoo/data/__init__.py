"""Datasets for the zoo: fetching from several sources, and seeded, normalised splits."""

from .errors import DataSourceError
from .prepare import prepare, prepare_dir
from .sources import DATASETS, SOURCES, download, fetch

__all__ = ["DATASETS", "SOURCES", "DataSourceError", "download", "fetch", "prepare", "prepare_dir"]
