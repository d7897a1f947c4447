"""python -m apportion.cli, as the benchmarks run it."""

from apportion.cli.commands import main

main()
