"""Collection parameters shared by every WC list endpoint: paging, ordering, date windows, paging headers."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Callable, Sequence, TypeVar

from aiohttp import web
from yarl import URL

from .dates import SiteTime
from .params import PER_PAGE_MAX, Args

T = TypeVar("T")


class Collection:
    """Reads ``page, per_page, order, orderby, after, before, modified_after, modified_before, dates_are_gmt``."""

    def __init__(self, args: Args, time: SiteTime, orderby: dict[str, Callable[[Any], Any]]) -> None:
        self.time = time
        self.page = args.integer("page", 1, minimum=1)
        self.per_page = args.integer("per_page", 10, minimum=1, maximum=PER_PAGE_MAX)
        self.order = args.choice("order", "desc", ("asc", "desc"))
        self._sort_key = orderby[args.choice("orderby", "date", tuple(orderby))]
        self.gmt = args.flag("dates_are_gmt")
        self.windows = {
            name: args.date(name) for name in ("after", "before", "modified_after", "modified_before")
        }

    def select(self, items: Sequence[T], created: Callable[[T], datetime], modified: Callable[[T], datetime]) -> list[T]:
        """Date windows are exclusive ([I] WP ``date_query`` default), then the order with ``id`` as tie-break."""
        bounds = {name: self.time.filter_value(v, self.gmt) for name, v in self.windows.items() if v is not None}

        def inside(item: T) -> bool:
            made = self.time.column(created(item), self.gmt)
            changed = self.time.column(modified(item), self.gmt)
            return (
                ("after" not in bounds or made > bounds["after"])
                and ("before" not in bounds or made < bounds["before"])
                and ("modified_after" not in bounds or changed > bounds["modified_after"])
                and ("modified_before" not in bounds or changed < bounds["modified_before"])
            )

        chosen = [item for item in items if inside(item)]
        return sorted(chosen, key=lambda item: (self._sort_key(item), item.id), reverse=self.order == "desc")

    def page_of(self, request: web.Request, items: list[T], home_url: str) -> tuple[list[T], dict[str, str]]:
        """The requested page and ``X-WP-Total``, ``X-WP-TotalPages`` and ``Link`` (prev/next only)."""
        total = len(items)
        pages = math.ceil(total / self.per_page) if total else 0
        start = (self.page - 1) * self.per_page
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        # WP rebuilds the links from the request's own query (credentials included), minus ``page``.
        query = dict.fromkeys((k, v) for k, v in request.rel_url.query.items() if k != "page")
        base = URL(f"{home_url}{request.path[request.path.index('/wp-json'):]}").with_query(list(query))
        links = []
        if self.page > 1:
            links.append(f'<{base.update_query(page=min(self.page - 1, pages))}>; rel="prev"')  # sic: 0 when empty
        if pages > self.page:
            links.append(f'<{base.update_query(page=self.page + 1)}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return items[start : start + self.per_page], headers
