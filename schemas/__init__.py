"""The contract: event models, enums, topic names, reference data."""
