"""Settings that the stages read: defaults and their environment variables."""

from __future__ import annotations

import pytest

from pathwatch.settings import get_settings
from streams.cache import DEFAULT_SIZE


def test_cache_size_defaults_to_the_cache_module_default() -> None:
    assert get_settings().streams.cache_size == DEFAULT_SIZE


def test_cache_size_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWATCH_STREAMS__CACHE_SIZE", "4")
    assert get_settings().streams.cache_size == 4
    monkeypatch.setenv("PATHWATCH_STREAMS__CACHE_SIZE", "0")
    with pytest.raises(ValueError, match="cache_size"):
        get_settings()


def test_the_worker_builds_its_cache_with_the_setting() -> None:
    from streams.agents import processor
    from streams.app import settings

    assert processor.cache.size == settings.streams.cache_size
