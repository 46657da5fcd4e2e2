"""Everything that puts events on Kafka."""
