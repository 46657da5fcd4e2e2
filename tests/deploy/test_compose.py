"""deploy/compose.yml: official images, and every PATHWATCH_ variable is a real setting."""

from __future__ import annotations

from typing import Any

import yaml

from pathwatch import PROJECT_ROOT
from pathwatch.settings import Settings

COMPOSE = PROJECT_ROOT / "deploy" / "compose.yml"
OFFICIAL = ("apache/kafka:", "clickhouse/clickhouse-server:", "prom/prometheus:", "pathwatch:")


def test_compose_uses_official_images_and_known_settings() -> None:
    doc: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    services = doc["services"]
    assert {"kafka", "clickhouse", "migrate", "worker", "sinks", "prometheus"} <= set(services)
    for name, svc in services.items():
        assert svc["image"].startswith(OFFICIAL), name
    fields = Settings.model_fields
    for name, svc in services.items():
        for var in svc.get("environment", {}):
            if not var.startswith("PATHWATCH_"):
                continue
            section, _, field = var.removeprefix("PATHWATCH_").lower().partition("__")
            assert section in fields, (name, var)
            model = fields[section].annotation
            assert model is not None
            assert field in model.model_fields, (name, var)
    assert services["sinks"]["command"] == ["sink", "all"]
