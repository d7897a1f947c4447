"""The rules: preparing a budget's variants (scenarios, what-ifs, part-year periods, plan
years) and splitting it, the levy, the year end, comparisons, sweeps and the workings.
Pure: no I/O library is imported here."""
