"""Metric definitions follow the naming and label rules of STYLE.md."""

from __future__ import annotations

from prometheus_client import REGISTRY

from pathwatch import metrics

FORBIDDEN_LABELS = {"citizen_id", "pathway_id", "event_id", "alert_key", "case_id", "actor_id"}


def test_every_metric_is_prefixed_and_has_bounded_labels() -> None:
    families = [f for f in REGISTRY.collect() if f.name.startswith("pathwatch_")]
    ours = {
        v._name for v in vars(metrics).values() if hasattr(v, "_name") and hasattr(v, "_labelnames")
    }
    assert len(ours) >= 12
    assert all(name.startswith("pathwatch_") for name in ours)
    for name in ours:
        collector = next(v for v in vars(metrics).values() if getattr(v, "_name", None) == name)
        assert not set(collector._labelnames) & FORBIDDEN_LABELS, name
    assert families  # registered in the default registry, so start_http_server serves them
