"""The sink runner's guard against kafka-python 3.0.12 leaving a rejoin unfinished (issue 14)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pytest
from kafka.coordinator.base import BaseCoordinator
from kafka.coordinator.consumer import ConsumerCoordinator

from consumers.group import finish_abandoned_rejoin as _finish_abandoned_rejoin


@dataclass
class FakeCoordinator:
    rejoining: bool
    needs: bool
    requested: bool = False

    def need_rejoin(self) -> bool:
        return self.needs

    def request_rejoin(self) -> None:
        self.requested = True


@dataclass
class FakeConsumer:
    _coordinator: FakeCoordinator


@pytest.mark.parametrize(
    ("rejoining", "needs", "requested"),
    [
        (True, False, True),  # joined at the broker, never applied: the stuck state
        (True, True, False),  # a join in flight that the next poll() continues by itself
        (False, False, False),  # stable
        (False, True, False),  # a rejoin about to start
    ],
)
def test_only_an_abandoned_rejoin_is_requested_again(
    rejoining: bool, needs: bool, requested: bool
) -> None:
    consumer: Any = FakeConsumer(FakeCoordinator(rejoining, needs))
    _finish_abandoned_rejoin(consumer, "facts")
    assert consumer._coordinator.requested is requested


def test_the_kafka_python_internals_the_guard_reads_still_exist() -> None:
    # A kafka-python upgrade that renames them must fail here, not silently disable the guard.
    assert callable(ConsumerCoordinator.need_rejoin)
    assert callable(BaseCoordinator.request_rejoin)
    assert "self.rejoining = " in inspect.getsource(BaseCoordinator)
    assert "while self.need_rejoin()" in inspect.getsource(BaseCoordinator.join_group_async)
