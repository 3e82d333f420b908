"""Named mentions (kind NAM) from capitalisation, gazetteers and cue words -- no model.

A name is a run of capitalised words on one line, separated by single spaces (with a name particle, or "of"
after a head word, allowed inside: "Osama bin Laden", "Bank of England"). Words that are capitalised only because they start a
sentence are dropped from the front; titles ("Maj. Gen.") are cut off and make the rest a person; a leading
nationality or country ("Iraqi Prime Minister ...") becomes a mention of its own. The rest is typed by, in
order: the organisation, country, city and region gazetteers (pycountry for countries and provinces), the
head word ("... Forces", "... Sea", "... Airport"), acronyms, a role word right before it ("spokesman Matthew
Miller"), and finally the shape of a personal name (two or three capitalised words). A lone unknown word is
a person only if it repeats a word of a person's name found elsewhere in the article, or is the subject of a
speech verb; else, when it recurs mid-sentence, an organisation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsbench.tokens import tokenize

from .found import Found
from .lexicon import Lexicon, fold, lexicon
from .segments import Segment, paragraphs, sentence_word_starts

_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}$")
_SHOUTING_MIN_WORDS = 4
_MAX_PERSON_WORDS = 3
"""Longer runs of capitalised words are titles of works or events more often than personal names."""
_LOOKBEHIND = 40
"""Code points before a name searched for a role word ("spokesman Matthew Miller"), and after it for a verb."""
_REPEATED_NAME = 2
"""Mid-sentence occurrences that make an unknown capitalised word a name."""


def _head(part: list[Word]) -> Word:
    """The word that types a name: the last one, or the one before "of" ("Bank of England")."""
    for i, w in enumerate(part):
        if w.text == "of" and i > 0:
            return part[i - 1]
    return part[-1]


def _singular(word: str) -> str:
    """ "Departments" -> "Department", so plural head words type a name like singular ones."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        """Upper-case initial, or a particle joined to a name ("al-Sudani")."""
        return self.text[:1].isupper() or ("-" in self.text and self.text.split("-", 1)[1][:1].isupper())


def words(text: str, lex: Lexicon) -> list[Word]:
    """Tokens with abbreviation periods ("Gen.", "Oct.", "F.") and hyphenated names ("Al-Qaeda",
    "al-Sudani") put back together; other hyphens stay apart so "Iranian-backed" yields "Iranian"."""
    tokens = tokenize(text)
    out: list[Word] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = Word(tok.start, tok.end, tok.text)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt and nxt.text == "." and nxt.start == tok.end:
            dotted = tok.text + "."
            single_initial = len(tok.text) == 1 and tok.text.isupper()
            if (
                dotted in lex.titles
                or dotted in lex.month_abbreviations
                or dotted in lex.org_suffixes
                or single_initial
            ):
                out.append(Word(tok.start, nxt.end, dotted))
                i += 2
                continue
        while (
            i + 2 < len(tokens)
            and tokens[i + 1].text == "-"
            and tokens[i + 1].start == word.end
            and tokens[i + 2].start == tokens[i + 1].end
            and tokens[i + 2].text[:1].isupper()
            and (word.capitalised or word.text.lower() in lex.name_particles)
        ):
            word = Word(word.start, tokens[i + 2].end, text[word.start : tokens[i + 2].end])
            i += 2
        out.append(word)
        i += 1
    return out


def _shouting(text: str, para: Segment) -> bool:
    """A line in capitals ("CLICK HERE TO READ MORE") is a banner, where capitalisation says nothing."""
    line = text[para.start : para.end]
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= _SHOUTING_MIN_WORDS and all(c.isupper() for c in letters)


def _runs(text: str, ws: list[Word], lex: Lexicon) -> list[list[Word]]:
    """Maximal runs of capitalised words joined by single spaces, with inner connectors kept."""
    heads = lex.org_heads | lex.fac_heads | lex.loc_heads | lex.gpe_heads | lex.titles
    runs: list[list[Word]] = []
    current: list[Word] = []
    for i, w in enumerate(ws):
        joined = bool(current) and text[current[-1].end : w.start] == " "
        after = ws[i + 1] if i + 1 < len(ws) else None
        if w.capitalised:
            if current and not joined:
                runs.append(current)
                current = []
            current.append(w)
        elif (
            joined
            and (
                w.text.lower() in lex.name_particles
                or (w.text == "of" and _singular(current[-1].text) in heads)
            )
            and after is not None
            and after.capitalised
            and text[w.end : after.start] == " "
        ):
            current.append(w)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


class NameFinder:
    """Finds and types the names of one document; a class only to share the document's context."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lex = lexicon()
        self.sentence_starts = sentence_word_starts(text, self.lex)
        self.lower_words = {w.lower() for w in re.findall(r"\b[a-z][\w’'-]*", text)}
        self.found: list[Found] = []
        self.singles: list[Word] = []

    def at_sentence_start(self, w: Word) -> bool:
        return w.start in self.sentence_starts

    def not_a_name(self, w: Word) -> bool:
        """Capitalised for grammar, not because it names something."""
        low = w.text.lower()
        if w.text in self.lex.countries or w.text in self.lex.known_orgs:
            return False  # "US" is a country, not "us"
        if low in self.lex.function_words:
            return True
        if w.text in self.lex.months or w.text in self.lex.month_abbreviations or w.text in self.lex.weekdays:
            return True
        return self.at_sentence_start(w) and (low in self.lex.common_words or low in self.lower_words)

    def run(self) -> list[Found]:
        ws = words(self.text, self.lex)
        i = 0
        for para in paragraphs(self.text):
            while i < len(ws) and ws[i].start < para.start:
                i += 1
            j = i
            while j < len(ws) and ws[j].end <= para.end:
                j += 1
            inside, i = ws[i:j], j
            if _shouting(self.text, para):
                continue
            for run in _runs(self.text, inside, self.lex):
                for part in self._split(run):
                    self._type(part)
        self._resolve_singles()
        return sorted(self.found)

    def _split(self, run: list[Word]) -> list[list[Word]]:
        """Cut a run at words that are not names (sentence-initial common words, months, weekdays)."""
        parts: list[list[Word]] = []
        current: list[Word] = []
        for w in run:
            if w.capitalised and self.not_a_name(w):
                if current:
                    parts.append(current)
                current = []
            else:
                current.append(w)
        if current:
            parts.append(current)
        out = []
        for part in parts:
            while part and not part[0].capitalised:
                part = part[1:]
            while part and not part[-1].capitalised:
                part = part[:-1]
            if part:
                out.append(part)
        return out

    def _span_text(self, part: list[Word]) -> str:
        return self.text[part[0].start : part[-1].end]

    def _emit(self, part: list[Word], etype: str, key: str) -> None:
        self.found.append(Found(part[0].start, part[-1].end, etype, "NAM", key))

    def _type(self, part: list[Word]) -> None:
        lex = self.lex
        whole = self._gazetteer(self._span_text(part))
        if whole is not None:  # before titles: "General Motors" is a company, not a general
            self._emit(part, *whole)
            return
        titled = False
        while len(part) > 1:
            two = f"{part[0].text} {part[1].text}"
            if len(part) > 2 and two in lex.titles:
                part, titled = part[2:], True
            elif part[0].text in lex.titles:
                part, titled = part[1:], True
            else:
                break
        whole = self._gazetteer(self._span_text(part))
        if whole is not None:
            self._emit(part, *whole)
            return
        if len(part) > 1 and _singular(_head(part).text) not in lex.org_heads | lex.fac_heads | lex.loc_heads:
            for k in range(len(part) - 1, 0, -1):  # longest leading country or organisation first
                lead_text = self._span_text(part[:k])
                lead = self._gazetteer(lead_text)
                well_known = (
                    lead_text in lex.countries or lead_text in lex.demonyms or lead_text in lex.known_orgs
                )
                if lead is not None and well_known:
                    self._emit(part[:k], *lead)
                    self._type(part[k:])
                    return
        typed = self._by_shape(part, titled)
        if typed is not None:
            self._emit(part, *typed)
        elif len(part) == 1 and len(part[0].text) > 1:
            self.singles.append(part[0])

    def _gazetteer(self, name: str) -> tuple[str, str] | None:
        lex = self.lex
        if name in lex.known_orgs:
            return "ORG", f"ORG:{name.casefold()}"
        if name in lex.countries:
            return "GPE", f"country:{lex.countries[name]}"
        if name in lex.demonyms:
            return "GPE", f"country:{lex.demonyms[name]}"
        head = name.rsplit(maxsplit=1)[-1]
        headed = head in lex.loc_heads or head in lex.fac_heads or head in lex.org_heads
        if name in lex.cities or (fold(name) in lex.subdivisions and not headed):
            return "GPE", f"GPE:{fold(name).casefold()}"
        if name in lex.regions:
            return "LOC", f"LOC:{name.casefold()}"
        return None

    def _by_shape(self, part: list[Word], titled: bool) -> tuple[str, str] | None:
        lex = self.lex
        name = self._span_text(part)
        last = _head(part).text
        head = last if last in lex.org_suffixes else _singular(last)
        last_two = " ".join(w.text for w in part[-2:])
        if head in lex.loc_heads:
            return "LOC", f"LOC:{name.casefold()}"
        if head in lex.fac_heads or last_two in lex.fac_heads:
            return "FAC", f"FAC:{name.casefold()}"
        if head in lex.org_heads or head in lex.org_suffixes:
            initials = "".join(w.text[0] for w in part if w.capitalised)
            return "ORG", f"ORG:{initials}" if len(part) > 1 else f"ORG:{name.casefold()}"
        if head in lex.gpe_heads and len(part) > 1:
            return "GPE", f"GPE:{name.casefold()}"
        if titled:
            return "PER", f"PER:{name}"
        if len(part) == 1 and _ACRONYM.match(head):
            return "ORG", f"ORG:{head.replace('.', '')}"
        before = self.text[max(0, part[0].start - _LOOKBEHIND) : part[0].start].split()
        if before and before[-1].rstrip(",") in lex.roles:
            return "PER", f"PER:{name}"
        if 2 <= len(part) <= _MAX_PERSON_WORDS and all(self._name_like(w) for w in part):
            return "PER", f"PER:{name}"
        return None

    def _name_like(self, w: Word) -> bool:
        """A word that can be part of a personal name: capitalised (not a common noun), or a particle."""
        low = w.text.lower()
        if low in self.lex.name_particles:
            return True
        return w.text[:1].isupper() and low not in self.lex.nominals and low not in self.lex.triggers

    def _resolve_singles(self) -> None:
        """A lone unknown word is a person when it is part of a person's name seen in the article or says
        something; otherwise, written capitalised mid-sentence at least twice, an organisation (in news
        mostly a company or a group); otherwise it is left out."""
        person_words: dict[str, str] = {}
        for f in self.found:
            if f.type == "PER" and f.key:
                for part in self.text[f.start : f.end].split():
                    person_words.setdefault(part, f.key)
        repeated = Counter(w.text for w in self.singles if not self.at_sentence_start(w))
        for w in self.singles:
            after = self.text[w.end : w.end + _LOOKBEHIND].split(maxsplit=1)
            speaks = bool(after) and after[0].strip(",.") in self.lex.speech_verbs
            if w.text in person_words:
                self.found.append(Found(w.start, w.end, "PER", "NAM", person_words[w.text]))
            elif speaks and not self.at_sentence_start(w):
                self.found.append(Found(w.start, w.end, "PER", "NAM", f"PER:{w.text}"))
            elif repeated[w.text] >= _REPEATED_NAME:
                self.found.append(Found(w.start, w.end, "ORG", "NAM", f"ORG:{w.text.casefold()}"))


def find_names(text: str) -> list[Found]:
    """Every named mention of the text, typed, with a clustering key."""
    return NameFinder(text).run()
