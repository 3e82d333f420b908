"""Where gold documents come from and under which terms they may be shared.

Every gold document names its text's licence as an SPDX identifier (a ``LicenseRef-`` identifier where SPDX
has none) and records its subset in ``meta.subset``; the subset decides the source family that statistics and
leaderboards break figures down by. The licence table is the policy: a licence not listed here, or any
non-commercial licence, is not allowed in the corpus, and ShareAlike texts can be left out with one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsbench.model import Document


@dataclass(frozen=True)
class License:
    """What the corpus needs to know about a text licence."""

    spdx: str
    name: str
    attribution: bool
    """The licence asks for attribution: the document must carry ``meta.attribution``."""
    sharealike: bool
    """Derived works must carry the same licence."""


LICENSES: dict[str, License] = {
    lic.spdx: lic
    for lic in (
        License("CC-BY-2.5", "Creative Commons Attribution 2.5", attribution=True, sharealike=False),
        License(
            "CC-BY-3.0-AU", "Creative Commons Attribution 3.0 Australia", attribution=True, sharealike=False
        ),
        License("CC-BY-4.0", "Creative Commons Attribution 4.0", attribution=True, sharealike=False),
        License(
            "CC-BY-SA-3.0", "Creative Commons Attribution-ShareAlike 3.0", attribution=True, sharealike=True
        ),
        License("OGL-UK-3.0", "Open Government Licence v3.0", attribution=True, sharealike=False),
        License(
            "LicenseRef-US-Government-Public-Domain",
            "U.S. government work, public domain (17 U.S.C. 105)",
            attribution=False,
            sharealike=False,
        ),
        License(
            "LicenseRef-newsbench-seed",
            "Seed article: publisher's copyright, text included for research evaluation only",
            attribution=True,
            sharealike=False,
        ),
        License("CC0-1.0", "Creative Commons Zero 1.0", attribution=False, sharealike=False),
    )
}

FAMILIES: dict[str, str] = {
    "seed": "seed",
    "re3d/us-state-department": "government statements",
    "re3d/uk-government": "government statements",
    "re3d/australia-dfat": "government statements",
    "re3d/wikipedia": "wikipedia",
    "gum-news": "wikinews",
    "meantime/apple": "wikinews",
    "meantime/boeing": "wikinews",
    "meantime/gm": "wikinews",
    "meantime/stock": "wikinews",
}
"""Subset (``meta.subset``) -> source family; documents of other subsets form a family of their own name."""

UNKNOWN_SUBSET = "(no subset)"


def subset_of(doc: Document) -> str:
    value = doc.meta.get("subset") if isinstance(doc.meta, dict) else None
    return value if isinstance(value, str) and value else UNKNOWN_SUBSET


def family_of(doc: Document) -> str:
    subset = subset_of(doc)
    return FAMILIES.get(subset, subset)


def license_problem(doc: Document) -> str | None:
    """Why the document's licence is not allowed in the corpus, or None when it is."""
    spdx = doc.license
    if not spdx:
        return "no licence: `license` must be an SPDX identifier"
    if "-NC" in spdx.upper() or "NONCOMMERCIAL" in spdx.upper():
        return f"{spdx} is a non-commercial licence; the corpus bundles no non-commercial text"
    lic = LICENSES.get(spdx)
    if lic is None:
        return f"{spdx!r} is not a licence the corpus accepts ({', '.join(sorted(LICENSES))})"
    attribution = doc.meta.get("attribution") if isinstance(doc.meta, dict) else None
    if lic.attribution and not (isinstance(attribution, str) and attribution.strip()):
        return f"{spdx} asks for attribution: `meta.attribution` must give it"
    return None


def is_sharealike(doc: Document) -> bool:
    lic = LICENSES.get(doc.license or "")
    return lic is not None and lic.sharealike


def without_sharealike(docs: Iterable[Document]) -> list[Document]:
    """The documents whose text licence has no ShareAlike clause (e.g. to mix with differently licensed data)."""
    return [d for d in docs if not is_sharealike(d)]


def by_family(docs: Sequence[Document]) -> dict[str, list[Document]]:
    """Documents grouped by source family, families in name order, documents in input order."""
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(family_of(doc), []).append(doc)
    return dict(sorted(groups.items()))


def by_subset(docs: Sequence[Document]) -> dict[str, list[Document]]:
    """Documents grouped by subset (``meta.subset``), subsets in name order, documents in input order."""
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(subset_of(doc), []).append(doc)
    return dict(sorted(groups.items()))
