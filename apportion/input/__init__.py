"""Where YAML (and a finance officer's own spreadsheets, and the command line's what-ifs)
becomes the model: one reader per section of the budget file, each problem with its place."""
