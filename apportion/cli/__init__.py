"""The command line: click commands, each a thin shell over the library, and the terminal."""

from apportion.cli import monitoring as _monitoring  # noqa: F401 - registers the monitor command
from apportion.cli import report as _report  # noqa: F401 - registers the report command
from apportion.cli import verifying as _verifying  # noqa: F401 - registers the verify command
from apportion.cli.commands import cli, main

__all__ = ["cli", "main"]
