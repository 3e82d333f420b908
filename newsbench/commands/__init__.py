"""One module per ``newsbench`` verb; each parses its arguments and calls library code."""
