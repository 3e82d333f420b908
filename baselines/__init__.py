"""Extractors: the plug-in contract (:mod:`.base`), the entry-point registry (:mod:`.registry`), and the
built-in systems, which register through the same entry-point group as any third-party package."""
