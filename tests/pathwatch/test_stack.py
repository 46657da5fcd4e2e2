"""Stack start-up fails with clear messages: port taken, Java or Maven missing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathwatch.cli import cli
from pathwatch.settings import Settings
from pathwatch.stack.common import StackError
from pathwatch.stack.kafka import KafkaService


@pytest.fixture
def busy_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield int(sock.getsockname()[1])
    sock.close()


def test_port_taken_is_a_clear_error(tmp_path: Path, busy_port: int) -> None:
    settings = Settings.model_validate(
        {
            "kafka": {"port": busy_port, "controller_port": busy_port + 1},
            "stack": {"state_dir": tmp_path},
        }
    )
    with pytest.raises(StackError, match=f"port 127.0.0.1:{busy_port} is taken"):
        KafkaService(settings).up(timeout=5)


def test_missing_java_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    settings = Settings.model_validate({"stack": {"state_dir": tmp_path}})
    with pytest.raises(StackError, match=r"'java' was not found.*openjdk-17"):
        KafkaService(settings).install()


def test_config_masks_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWATCH_PRIVACY__PSEUDONYM_KEY", "s3cret-key")
    monkeypatch.setenv("PATHWATCH_KAFKA__PORT", "29092")
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 0, result.output
    assert "s3cret-key" not in result.output
    assert '"port": 29092' in result.output


def test_apt_ensure_is_a_no_op_when_the_program_exists() -> None:
    from pathwatch.stack import apt

    assert apt.ensure("sh", ["dash"]) == apt.find("sh")


def test_apt_ensure_without_apt_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathwatch.stack import apt

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="install Debian's no-such-pkg package"):
        apt.ensure("no-such-program-pw", ["no-such-pkg"])
