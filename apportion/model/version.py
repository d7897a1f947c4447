"""The version of apportion: recorded in every output, read by pyproject.toml."""

VERSION = "0.1.0"
