import pytest

from daemon.sync.parts import FanOut, FlowParts


class Recorder:
    def __init__(self, name, seen):
        self.name, self.seen = name, seen

    async def handle(self, item):
        self.seen.append((self.name, item))


async def test_shared_routes_reach_every_flow_in_merge_order():
    seen = []
    parts = FlowParts(routes={("poll", "rackbeat.product"): Recorder("orders", seen)})
    parts.merge(FlowParts(routes={("poll", "rackbeat.product"): Recorder("stock", seen)}))
    parts.merge(FlowParts(routes={("poll", "rackbeat.product"): Recorder("ongoing", seen), ("x", "y"): Recorder("x", seen)}))
    route = parts.routes[("poll", "rackbeat.product")]
    assert isinstance(route, FanOut) and len(route.handlers) == 3
    await route.handle("item")
    assert seen == [("orders", "item"), ("stock", "item"), ("ongoing", "item")]


def test_a_job_kind_belongs_to_one_flow():
    parts = FlowParts(handlers={"stock.push": object()})
    with pytest.raises(ValueError, match="stock.push"):
        parts.merge(FlowParts(handlers={"stock.push": object()}))
