"""ClickHouse server from Debian's clickhouse-server package, run as a plain process."""

from __future__ import annotations

import logging

from pathwatch.settings import Settings
from pathwatch.stack import apt
from pathwatch.stack.common import Service, StackError

logger = logging.getLogger(__name__)


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
        apt.ensure(
            self.settings.stack.clickhouse_server_bin,
            ["clickhouse-server", "clickhouse-client"],
            " (or set PATHWATCH_STACK__CLICKHOUSE_SERVER_BIN)",
        )

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
        server = apt.find(self.settings.stack.clickhouse_server_bin)
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
