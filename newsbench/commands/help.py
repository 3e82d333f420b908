"""Help text shared by the verb modules."""


def description(doc: str | None) -> str:
    """A verb module's docstring as ``--help`` text: the double backquotes that mark code in docstrings
    are markup for readers of the source, not for a terminal, so they become single ones."""
    return (doc or "").replace("``", "`")
