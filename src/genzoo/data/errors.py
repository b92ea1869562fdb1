"""The one exception the data layer raises when a dataset source cannot deliver."""

from __future__ import annotations


class DataSourceError(RuntimeError):
    """A dataset could not be loaded from a source: says which, why, and what to do."""

    def __init__(self, dataset: str, source: str, why: str, todo: str = "") -> None:
        self.dataset, self.source, self.why, self.todo = dataset, source, why, todo
        message = f"Cannot load dataset '{dataset}' from source '{source}': {why.rstrip('.')}."
        if todo:
            message += f" What to do: {todo.rstrip('.')}."
        super().__init__(message)
