"""Limit/offset pagination with a hard maximum page size (SEEMIX_PAGE_SIZE_MAX)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Page(PaginationBase):
    class Input(Schema):
        limit: int = Field(
            settings.SEEMIX_PAGE_SIZE_DEFAULT,
            ge=1,
            le=settings.SEEMIX_PAGE_SIZE_MAX,
            description=f"Items per page, at most {settings.SEEMIX_PAGE_SIZE_MAX}.",
        )
        offset: int = Field(0, ge=0)

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Input, **params: Any) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }
