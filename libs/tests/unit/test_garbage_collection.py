import gc

import pytest

from reintegra.garbage_collection import YOUNG_THRESHOLD, collect_in_larger_batches


@pytest.fixture
def collector_settings_restored():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_service_collects_young_objects_in_batches_of_ten_thousand_not_seven_hundred(
        collector_settings_restored):
    collect_in_larger_batches()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD == 10_000


def test_what_the_process_built_while_starting_is_left_out_of_later_collections(
        collector_settings_restored):
    long_lived = [{"row": n} for n in range(1000)]
    collect_in_larger_batches()
    assert gc.get_freeze_count() >= len(long_lived)


def test_cycles_made_afterwards_are_still_collected(collector_settings_restored):
    collect_in_larger_batches()

    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first
    del first, second
    assert gc.collect() >= 2
