"""Everything that takes results off Kafka."""
