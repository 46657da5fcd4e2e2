"""The Faust app: decoding and dead letters, per-pathway state, metrics."""
