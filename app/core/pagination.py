"""A page of a list already in memory, shaped like Flask-SQLAlchemy's `Pagination` (`page`,
`pages`, `total`, `has_prev`, `prev_num`, `has_next`, `next_num`), so one template macro
(`templates/macros/pagination.html`) serves both: lists the database pages, and lists that must be
whole in Python first (the gradebook sorts a class by totals it computes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first item; 0 on an empty list."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)


def paginate_list(items: Sequence[T], page: int, per_page: int) -> ListPage[T]:
    """Page `page` (from 1) of `items`; a page past the end is the last page."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return ListPage(items[start : start + per_page], page, per_page, len(items))
