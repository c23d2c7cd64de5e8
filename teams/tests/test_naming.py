import pytest

from teams.models import RESERVED_SLUGS
from teams.naming import clean_name, name_key, name_sort_key, slug_base

CYRILLIC_E = "\u0415"


def test_cyrillic_lookalike_clashes():
    assert f"{CYRILLIC_E}NCE" != "ENCE"
    assert name_key("ENCE") == name_key(f"{CYRILLIC_E}NCE")


def test_case_variants_clash():
    assert name_key("ENCE") == name_key("ence") == name_key("Ence")


def test_fullwidth_clashes():
    assert name_key("ＥＮＣＥ") == name_key("ENCE")


@pytest.mark.parametrize(
    "variant",
    ["Team  Liquid", " Team Liquid ", "Team\u00a0Liquid", "Team\tLiquid"],
)
def test_spacing_variants_clash(variant):
    assert name_key(variant) == name_key("Team Liquid")


def test_invisible_characters_ignored():
    assert name_key("EN\u200bCE") == name_key("ENCE")
    assert clean_name("EN\u200bCE\u200e") == "ENCE"


def test_digit_letter_lookalikes_clash():
    assert name_key("0G") == name_key("OG")


@pytest.mark.parametrize(
    ("first", "second"),
    [("Vitality", "Virtus"), ("9z", "9x"), ("Famalicão", "Famalicao"), ("G2", "GZ")],
)
def test_distinct_names_differ(first, second):
    assert name_key(first) != name_key(second)


@pytest.mark.parametrize(
    "name", ["9z", "100 Thieves", "[ZERO] Protocol", "Famalicão", "東京 Tengu"]
)
def test_unusual_names_have_keys(name):
    assert name_key(name)
    assert slug_base(name)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Famalicão Esports", "famalicao-esports"),
        ("Team Øresund", "team-oresund"),
        ("[ZERO] Protocol", "zero-protocol"),
        ("100 Thieves", "100-thieves"),
        ("Kraków Knights", "krakow-knights"),
        (f"{CYRILLIC_E}NCE", "ence"),
    ],
)
def test_slug_transliterated(name, slug):
    assert slug_base(name) == slug


def test_slug_is_ascii():
    slug = slug_base("Ünïcødé ☆ Team 東京")
    assert slug.isascii()
    assert slug == slug.lower()


def test_reserved_words_listed():
    for word in ("hub", "leaderboard", "create", "search", "edit", "roster"):
        assert word in RESERVED_SLUGS


def test_sort_key_orders_ascii():
    names = ["zeta", "Alpha", "Ärger", "beta"]
    ordered = sorted(names, key=name_sort_key)
    assert ordered == ["Alpha", "Ärger", "beta", "zeta"]
    assert all(set(name_sort_key(name)) <= set("0123456789abcdef") for name in names)
