"""`pathwatch simulate`: seeded, deterministic citizen pathways (docs/simulator.md).

config (scenarios.toml) -> run.Population (who, where, when) -> pathway.build_pathway (state
machine of domain.md §3) -> envelope.payloads (§4.1/§4.2 JSON) -> faults.apply -> output.
"""

from producers.simulator.config import Config, load
from producers.simulator.faults import Message, Rates
from producers.simulator.run import Options, stream

__all__ = ["Config", "Message", "Options", "Rates", "load", "stream"]
