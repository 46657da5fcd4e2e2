"""Apache Kafka 4.x, single node in KRaft mode, jars from Maven Central, run by the local Java."""

from __future__ import annotations

import base64
import logging
import subprocess
import uuid

from pathwatch.settings import Settings
from pathwatch.stack.common import Service, StackError, require_tool

logger = logging.getLogger(__name__)

SERVER_PROPERTIES = """\
# Written by `pathwatch stack up`; edit settings (PATHWATCH_KAFKA__*), not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@{host}:{controller_port}
listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}
advertised.listeners=PLAINTEXT://{host}:{port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data_dir}
num.partitions={partitions}
# Topics are created explicitly by the project with the right partition count; an
# auto-created topic would silently get the wrong count (Faust then refuses to start).
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
log.segment.bytes=268435456
num.network.threads=2
num.io.threads=4
"""


class KafkaService(Service):
    """The broker process and its files under <state>/kafka."""

    name = "kafka"

    def __init__(self, settings: Settings) -> None:
        k = settings.kafka
        super().__init__(settings.stack.state_dir, k.host, [k.port, k.controller_port])
        self.settings = settings
        self.version = settings.stack.kafka_version
        self.libs = self.dir / f"libs-{self.version}"
        self.data = self.dir / "data"
        self.config = self.dir / "server.properties"
        self.pom = settings.stack.deploy_dir / "kafka" / "pom.xml"
        self.log4j = settings.stack.deploy_dir / "kafka" / "log4j2.properties"

    def install(self) -> None:
        """Copy the broker's jars from Maven Central once; later runs reuse them."""
        require_tool("java", "Install Java 17: apt-get install -y openjdk-17-jre-headless")
        marker = self.libs / ".complete"
        if marker.exists():
            return
        mvn = require_tool("mvn", "Install Maven: apt-get install -y maven")
        self.libs.mkdir(parents=True, exist_ok=True)
        logger.info("fetching Kafka %s jars with Maven into %s", self.version, self.libs)
        result = subprocess.run(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(self.pom),
                f"-Dkafka.version={self.version}",
                "dependency:copy-dependencies",
                f"-DoutputDirectory={self.libs}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(
                f"kafka: mvn dependency:copy-dependencies failed (exit {result.returncode}):\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        marker.write_text(self.version)

    def _java(self, main: str, *args: str, heap: str = "-Xmx256m") -> list[str]:
        return [
            "java",
            heap,
            f"-Dlog4j2.configurationFile={self.log4j}",
            f"-Dkafka.logs.dir={self.log_dir}",
            "-cp",
            f"{self.libs}/*",
            main,
            *args,
        ]

    def prepare(self) -> None:
        """Write server.properties; format the KRaft storage on first start."""
        k = self.settings.kafka
        self.config.write_text(
            SERVER_PROPERTIES.format(
                host=k.host,
                port=k.port,
                controller_port=k.controller_port,
                data_dir=self.data,
                partitions=k.partitions,
            )
        )
        if (self.data / "meta.properties").exists():
            return
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        result = subprocess.run(
            self._java(
                "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(self.config)
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"kafka: storage format failed:\n{result.stdout}{result.stderr}")

    def command(self) -> list[str]:
        """Run the broker with a heap sized for a 2-core / 24 GB machine."""
        heap = self.settings.kafka.heap_mb
        return [
            "java",
            f"-Xms{heap}m",
            f"-Xmx{heap}m",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j}",
            f"-Dkafka.logs.dir={self.log_dir}",
            "-cp",
            f"{self.libs}/*",
            "kafka.Kafka",
            str(self.config),
        ]

    def ready(self) -> bool:
        """The broker answers a metadata request."""
        if not super().ready():
            return False
        from kafka import KafkaAdminClient

        admin = KafkaAdminClient(
            bootstrap_servers=self.settings.kafka.bootstrap, request_timeout_ms=3000
        )
        try:
            admin.list_topics()
        finally:
            admin.close()
        return True
