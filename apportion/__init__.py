"""apportion: who pays what for a police collaboration, to the penny."""

__version__ = "0.1.0"
