"""The daemon's process tuning: its cyclic garbage collector stays out of the way of a burst."""

import gc

import pytest

from daemon.cli.run_cmd import GC_THRESHOLDS, tune_garbage_collector


@pytest.fixture
def collector_restored():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def young_collections_during(allocations: int) -> int:
    before = gc.get_stats()[0]["collections"]
    kept = [[] for _ in range(allocations)]  # containers: each counts towards a young collection
    del kept
    return gc.get_stats()[0]["collections"] - before


def test_a_burst_of_allocations_runs_no_young_collection_once_tuned(collector_restored):
    gc.set_threshold(700, 10, 10)  # Python's default
    assert young_collections_during(5_000) >= 5
    tune_garbage_collector()
    assert gc.get_threshold() == GC_THRESHOLDS
    gc.collect(0)  # start counting from an empty young generation
    assert young_collections_during(5_000) == 0


def test_what_is_loaded_at_start_is_frozen_out_of_the_collectors_sight(collector_restored):
    tune_garbage_collector()
    assert gc.get_freeze_count() > 10_000  # the imported modules, their classes and functions
