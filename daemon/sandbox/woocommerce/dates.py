"""Site time: WordPress stores every date twice, site-local (``date_*``) and UTC (``date_*_gmt``), to the second."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

WIRE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def now_utc() -> datetime:
    """MySQL DATETIME has one-second resolution, so two writes in one second share a timestamp."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class SiteTime:
    """Converts the stored UTC instants into the site's local wall clock."""

    def __init__(self, tz_name: str) -> None:
        self.tz = ZoneInfo(tz_name)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz).replace(tzinfo=None)

    @staticmethod
    def gmt(moment: datetime) -> datetime:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)

    def pair(self, name: str, moment: datetime | None) -> dict[str, str | None]:
        """``{name: local, name_gmt: utc}`` without zone designators, as WooCommerce answers."""
        if moment is None:
            return {name: None, f"{name}_gmt": None}
        return {name: self.local(moment).strftime(WIRE_FORMAT), f"{name}_gmt": self.gmt(moment).strftime(WIRE_FORMAT)}

    def column(self, moment: datetime, gmt: bool) -> datetime:
        """The naive value of the ``post_date`` or ``post_date_gmt`` column a date filter compares against."""
        return self.gmt(moment) if gmt else self.local(moment)

    def filter_value(self, value: datetime, gmt: bool) -> datetime:
        """A filter value as the column sees it. [I] A value carrying a zone is converted; a naive one is taken as is."""
        if value.tzinfo is None:
            return value
        return self.gmt(value) if gmt else self.local(value)
