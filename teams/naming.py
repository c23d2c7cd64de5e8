"""Keys that make team names and tags comparable, and readable slugs.

Two names clash when their keys are equal. A key is built in three steps:
Unicode NFKC normalization, case folding, then folding look-alike characters
onto their prototype with the Unicode confusables data shipped by the
confusable-homoglyphs package (generated from Unicode's confusables.txt).
"ENCE" and "ЕNCE" (Cyrillic Е) therefore share a key.
"""

import json
import unicodedata
from functools import cache
from pathlib import Path

import confusable_homoglyphs
from unidecode import unidecode

_CONFUSABLES_FILE = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
_DIRECTION_MARKS = "\u200e\u200f"


def _representative_rank(char):
    # In a pair of characters that are each other's only look-alike, prefer
    # an ASCII letter or digit as the target, so keys of plain names stay
    # readable in the database.
    return (not (char.isascii() and char.isalnum()), char)


@cache
def _fold_table():
    """Map each confusable character to its prototype.

    In the data, a character with a single look-alike maps to it (Cyrillic
    "е" to Latin "e"), while a prototype lists all its look-alikes. Two
    characters that list only each other map to one of the pair. Mappings
    are not chained, because chains join letters that do not look alike.
    """
    data = json.loads(_CONFUSABLES_FILE.read_text(encoding="utf-8"))

    def targets(char):
        return [entry["c"].strip(_DIRECTION_MARKS) for entry in data.get(char, [])]

    table = {}
    for char in data:
        found = targets(char)
        if len(found) != 1 or not found[0]:
            continue
        target = found[0]
        if targets(target) == [char]:
            target = min(char, target, key=_representative_rank)
        if target != char:
            table[char] = target
    return table


def fold_confusables(text):
    table = _fold_table()
    return "".join(table.get(char, char) for char in text)


def _is_invisible(char):
    # Control and format characters (zero-width space, joiners, direction
    # marks) would let two names that look the same differ.
    return unicodedata.category(char) in ("Cc", "Cf")


def clean_name(name):
    """Return a name as stored: no invisible characters, single spaces."""
    text = "".join(
        " " if char.isspace() else char
        for char in (name or "")
        if char.isspace() or not _is_invisible(char)
    )
    return " ".join(text.split())


def name_key(name):
    """Return the comparison key of a team name or tag.

    Spaces are collapsed, so "Team  Liquid" and "Team Liquid" clash too.

    NOTE: case folding runs before confusable folding, so an uppercase "I"
    becomes "i" and no longer clashes with a lowercase "l" ("NAVI" and
    "NAVl"). Folding the other way round would let "NAVI" and "Navi" coexist,
    which case-insensitive uniqueness forbids.
    """
    text = unicodedata.normalize("NFKC", clean_name(name)).casefold()
    text = " ".join(text.split())
    text = fold_confusables(text)
    return unicodedata.normalize("NFKC", text).casefold()


def name_sort_key(name):
    """Return a key that orders names the same on SQLite and PostgreSQL.

    The name is transliterated to ASCII and case folded, then hex encoded:
    a string of the digits 0-9 and letters a-f sorts the same under binary,
    C and locale collations, so both databases produce one order.
    """
    text = unidecode(unicodedata.normalize("NFKC", name)).casefold()
    text = " ".join(text.split())
    return text.encode("ascii", "ignore").hex()[:256]


def slug_base(name):
    """Return a readable ASCII slug for a name ("Frøslev" -> "froslev")."""
    ascii_text = unidecode(unicodedata.normalize("NFKC", name)).lower()
    words = "".join(char if char.isalnum() else " " for char in ascii_text).split()
    return "-".join(words)[:60].strip("-")
