"""ClickHouse server from Debian's clickhouse-server package, run as a plain process."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

from pathwatch.settings import Settings
from pathwatch.stack.common import Service, StackError

logger = logging.getLogger(__name__)


def _find_server(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


class ClickHouseService(Service):
    """The server process and its files under <state>/clickhouse."""

    name = "clickhouse"

    def __init__(self, settings: Settings) -> None:
        ch = settings.clickhouse
        super().__init__(settings.stack.state_dir, ch.host, [ch.port, ch.http_port])
        self.settings = settings
        self.data = self.dir / "data"
        self.config = self.dir / "config.xml"
        self.users = self.dir / "users.xml"
        self.templates = settings.stack.deploy_dir / "clickhouse"

    def install(self) -> None:
        """apt-get install clickhouse-server when it is missing."""
        if _find_server(self.settings.stack.clickhouse_server_bin):
            return
        apt = shutil.which("apt-get")
        if apt is None:
            raise StackError(
                "clickhouse-server is not installed and apt-get is not available; install "
                "Debian's clickhouse-server package (or set PATHWATCH_STACK__CLICKHOUSE_SERVER_BIN)"
            )
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        logger.info("installing clickhouse-server with apt-get")
        for cmd in (
            [*sudo, apt, "update", "-qq"],
            [
                *sudo,
                apt,
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "clickhouse-server",
                "clickhouse-client",
            ],
        ):
            result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
            if result.returncode != 0:
                raise StackError(
                    f"clickhouse: `{' '.join(cmd)}` failed (exit {result.returncode}):\n"
                    f"{result.stderr[-2000:]}"
                )
        if not _find_server(self.settings.stack.clickhouse_server_bin):
            raise StackError("clickhouse: apt-get succeeded but clickhouse-server is not found")

    def prepare(self) -> None:
        """Write config.xml and users.xml from deploy/clickhouse with our paths and ports."""
        ch = self.settings.clickhouse
        for sub in ("tmp", "user_files", "format_schemas"):
            (self.data / sub).mkdir(parents=True, exist_ok=True)
        self.users.write_text((self.templates / "users.xml").read_text())
        text = (self.templates / "config.xml").read_text()
        for key, value in {
            "log_dir": str(self.log_dir),
            "host": ch.host,
            "http_port": str(ch.http_port),
            "tcp_port": str(ch.port),
            "data_dir": str(self.data),
            "users_xml": str(self.users),
        }.items():
            text = text.replace("{" + key + "}", value)
        self.config.write_text(text)

    def command(self) -> list[str]:
        """Run the server in the foreground with our config."""
        server = _find_server(self.settings.stack.clickhouse_server_bin)
        if server is None:
            raise StackError("clickhouse-server not found")
        return [server, f"--config-file={self.config}"]

    def ready(self) -> bool:
        """The server answers SELECT 1 over the native protocol."""
        if not super().ready():
            return False
        from clickhouse_driver import Client

        client = Client(host=self.host, port=self.settings.clickhouse.port, connect_timeout=2)
        try:
            return bool(client.execute("SELECT 1") == [(1,)])
        finally:
            client.disconnect()
