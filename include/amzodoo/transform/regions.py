"""Amazon's ``stateOrRegion`` -> the code of the matching ``res.country.state`` among Odoo's states of the country.

Outside North America Amazon passes on what the buyer typed: a name in the local language or in English, an
abbreviation, sometimes a county or province where Odoo stores the other level ("Bayern", "Greater London",
"Milano", "Noord-Holland", "大阪府"). It is resolved against the country's states as Odoo lists them, in order:

1. Odoo's state code ("BY", "DE-BY", "mi", "N.S.W.");
2. Odoo's state name, or a spelling of it that region_names.ALIASES knows;
3. an ISO 3166-2 subdivision (pycountry: codes, names and their translations in the country's languages) mapped
   onto Odoo's state by code, by name, through region_names.ISO_TO_ODOO, or through the subdivision's children
   or parent where Odoo stores the other level (the Comunidad de Madrid -> Odoo's province of Madrid).

Names compare without case, accents, whitespace and punctuation, with or without designators ("Provincia di",
"County", "län", "-ken", "都/道/府/県"). A step answers only when it names exactly one Odoo state: an ambiguous
text ("Yorkshire", "Lombardia", "England") resolves to nothing rather than to a guess.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache

import pycountry

from amzodoo.transform.region_names import ALIASES, COUNTRY_LANGUAGES, ISO_TO_ODOO

# Letters Unicode does not decompose into a base letter and an accent (\u0131: the Turkish dotless i).
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "\u0131": "i", "ħ": "h",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "&": " and "})
_KANA = range(0x3040, 0x3100)  # kana keep their (combining) voicing marks: they change the sound
_LEADING = frozenset({"state", "province", "provincia", "provincie", "provinz", "prov", "county", "co", "region",
                      "regione", "comunidad", "comunitat", "land", "bundesland", "freistaat", "voivodeship",
                      "wojewodztwo", "woj", "emirate", "governorate", "muhafazat", "prefecture", "departement",
                      "department", "canton", "kanton", "estado", "edo", "principado"})
_CONNECTORS = frozenset({"of", "de", "del", "di", "della", "do", "da", "du", "des", "der"})
_TRAILING = frozenset({"state", "province", "provincia", "county", "region", "prefecture", "voivodeship", "lan",
                       "emirate", "governorate", "il", "ili"})
_TRAILING_JP = frozenset({"ken", "fu", "to", "do"})  # Osaka-fu, Tokyo-to, Aichi-ken
_KANJI_SUFFIXES = ("都", "道", "府", "県")  # 東京都, 北海道, 大阪府, 愛知県
_ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "ad", "an", "at", "az"})  # Al Sharqia, El Sharkia, Ad Dammam
_ARTICLE_COUNTRIES = frozenset({"AE", "SA", "EG"})
_NUMBER = re.compile(r"\d+[a-z]?")  # "Dublin 15", "Dublin 6w": a postal district after the county
_ISO_CODE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")  # pycountry writes alternative codes into names


def resolve_state(country_code: str | None, text: str | None, odoo_states: Iterable[Sequence[str]]) -> str | None:
    """The code of Odoo's state that ``text`` names, among ``odoo_states`` ((code, name) of the country), or None."""
    if not country_code or not text or not text.strip():
        return None
    states = tuple((str(code), str(name)) for code, name in odoo_states)
    if not states:
        return None
    country = country_code.strip().upper()
    return _OdooStates.of("GB" if country == "UK" else country, states).resolve(text)


# -- folding ---------------------------------------------------------------------------------------------------------
def _tokens(text: str) -> list[str]:
    """Lower-case words without accents or punctuation ("Île-de-France" -> ile, de, france)."""
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(_LETTERS)):
        if unicodedata.combining(char):
            if base and ord(base) in _KANA:
                kept.append(char)
            continue
        base = char
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).casefold()
    return [token for token in re.split(r"[\W_]+", folded) if token]


def _normalise(key: str, country: str) -> str:
    """Spelling variants of one language, applied to both sides: Oosaka/Ōsaka, Thueringen/Thüringen."""
    if country == "JP":
        return key.replace("ou", "o").replace("oo", "o").replace("uu", "u")
    if country in ("DE", "AT", "CH"):
        return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return key


def _trimmed(tokens: list[str], country: str) -> list[str]:
    """The words without designators around the name ("Provincia di Milano", "Stockholms län", "Tokyo-to")."""
    words = list(tokens)
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
        while len(words) > 1 and words[0] in _CONNECTORS:
            words = words[1:]
    trailing = _TRAILING | _TRAILING_JP if country == "JP" else _TRAILING
    while len(words) > 1 and (words[-1] in trailing or _NUMBER.fullmatch(words[-1])):
        words = words[:-1]
    if country in _ARTICLE_COUNTRIES and len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


def _text_keys(text: str, country: str) -> tuple[str, list[str]]:
    """What Amazon sent: its whole folded key, and looser keys to try only when the whole one finds nothing."""
    tokens = _tokens(text)
    whole = _normalise("".join(tokens), country)
    looser = [_normalise("".join(_trimmed(tokens, country)), country)]
    if country == "JP" and whole.endswith(_KANJI_SUFFIXES) and len(whole) > 2:
        looser.append(whole[:-1])
    return whole, [key for key in looser if key and key != whole]


def _name_parts(name: str) -> set[str]:
    """A listed name's readings: "A Coruña (La Coruña)", "Araba/Álava", "Bristol, City of", "X [Y GB-ABC]"."""
    parts = {name, re.sub(r"[\[(][^\])]*[\])]", " ", name), *re.findall(r"[\[(]([^\])]*)[\])]", name)}
    parts |= {piece for part in parts for piece in part.split("/")}
    for part in list(parts):
        head, comma, tail = part.partition(",")
        if comma:
            parts |= {f"{tail} {head}", head}
    return {cleaned for part in parts if (cleaned := _ISO_CODE.sub(" ", part).strip())}


def _name_keys(name: str, country: str) -> set[str]:
    """Every key a listed name answers to: each reading whole, without designators, and without "City"."""
    keys: set[str] = set()
    for part in _name_parts(name):
        tokens = _tokens(part)
        variants = [tokens, _trimmed(tokens, country)]
        if tokens and tokens[-1] == "city":
            variants.append(tokens[:-1])
        if tokens[:2] == ["city", "of"]:
            variants.append(tokens[2:])
        if country == "SE" and tokens[-1:] == ["lan"] and tokens[-2].endswith("s"):
            variants.append([*tokens[:-2], tokens[-2][:-1]])  # "Stockholms län" is the county of Stockholm
        keys |= {_normalise("".join(words), country) for words in variants if words}
    return keys


# -- ISO 3166-2 ------------------------------------------------------------------------------------------------------
@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language], fallback=True)


class _Subdivisions:
    """A country's ISO 3166-2 subdivisions, found by code or by any of their names in the country's languages."""

    def __init__(self, country: str) -> None:
        subdivisions = list(pycountry.subdivisions.get(country_code=country) or ())
        self.parent: dict[str, str | None] = {s.code: s.parent_code for s in subdivisions}
        self.children: dict[str, list[str]] = defaultdict(list)
        self.names: dict[str, set[str]] = {}
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.by_code: dict[str, set[str]] = defaultdict(set)
        languages = ("en", *COUNTRY_LANGUAGES.get(country, ()))
        for sub in subdivisions:
            if sub.parent_code:
                self.children[sub.parent_code].append(sub.code)
            names = {sub.name, *(_translation(language).gettext(sub.name) for language in languages)}
            self.names[sub.code] = names
            for name in names:
                for key in _name_keys(name, country):
                    self.by_key[key].add(sub.code)
            self.by_code["".join(_tokens(sub.code))].add(sub.code)
            self.by_code["".join(_tokens(sub.code.split("-", 1)[1]))].add(sub.code)

    def find(self, key: str) -> set[str]:
        return self.by_key.get(key) or self.by_code.get(key) or set()

    @staticmethod
    @cache
    def of(country: str) -> _Subdivisions:
        return _Subdivisions(country)


# -- Odoo's states ---------------------------------------------------------------------------------------------------
class _OdooStates:
    """One country's Odoo states, indexed by code, by name and by the known spellings of their names."""

    def __init__(self, country: str, states: tuple[tuple[str, str], ...]) -> None:
        self.country = country
        self.names = {code: name for code, name in states}
        self.by_code: dict[str, set[str]] = defaultdict(set)
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for code, name in states:
            self.by_code["".join(_tokens(code))].add(code)
            if code.upper().startswith(f"{country}-"):  # Odoo writes some codes with the country: "DE-BY", "SE-AB"
                self.by_code["".join(_tokens(code[3:]))].add(code)
            self.by_name["".join(_tokens(name))].add(code)
            for key in _name_keys(name, country):
                self.by_key[key].add(code)
        # Known spellings answer only to their whole form: trimmed, "Mexico City" would read as the State of Mexico.
        for alias, target in ALIASES.get(country, {}).items():
            for code in self.by_name.get("".join(_tokens(target)), ()):
                self.by_key[_normalise("".join(_tokens(alias)), country)].add(code)
        self.subdivisions = _Subdivisions.of(country)
        self._from_iso: dict[tuple[str, str], str | None] = {}

    @staticmethod
    @cache
    def of(country: str, states: tuple[tuple[str, str], ...]) -> _OdooStates:
        return _OdooStates(country, states)

    def resolve(self, text: str) -> str | None:
        tokens = _tokens(text)
        codes = ["".join(tokens)]
        if len(tokens) > 1 and tokens[0] == self.country.lower():  # "DE-BY", "US CA", "JP-13"
            codes.append("".join(tokens[1:]))
        for key in codes:
            if found := self._one(self.by_code.get(key, set())):
                return found
        whole, looser = _text_keys(text, self.country)
        for key in (whole, *looser):
            if found := self._one(self.by_key.get(key, set())) or self._from_subdivisions(key):
                return found
        return None

    def _one(self, codes: set[str]) -> str | None:
        """The single state among ``codes``; Odoo lists a few places twice under one name (SA: Al Khobar)."""
        if len(codes) == 1:
            return next(iter(codes))
        if codes and len({"".join(_tokens(self.names[code])) for code in codes}) == 1:
            return min(codes)
        return None

    def _from_subdivisions(self, key: str) -> str | None:
        found = {self._from_iso_code(iso, "any") for iso in self.subdivisions.find(key)}
        return found.pop() if len(found) == 1 else None

    def _from_iso_code(self, iso: str, direction: str) -> str | None:
        if (iso, direction) not in self._from_iso:
            self._from_iso[(iso, direction)] = self._map(iso, direction)
        return self._from_iso[(iso, direction)]

    def _map(self, iso: str, direction: str) -> str | None:
        """Odoo's state for an ISO subdivision; ``direction`` keeps a walk through children or parents one-way."""
        suffix = iso.split("-", 1)[1]
        override = ISO_TO_ODOO.get(self.country, {}).get(suffix)
        if override is not None:
            return self._one(self.by_name.get("".join(_tokens(override)), set()))
        children = self.subdivisions.children.get(iso)
        if children and direction != "up":
            # A region that Odoo splits into its parts names a state only when its parts all map to one state (a
            # Spanish community of one province). Its own code may mean something else there (ISO IE-C is
            # Connacht, Odoo's C is Cork), so it is not compared.
            below = {self._from_iso_code(child, "down") for child in children}
            return below.pop() if len(below) == 1 else None
        if found := self._one(self.by_code.get("".join(_tokens(suffix)), set())):
            return found
        keys = {key for name in self.subdivisions.names[iso] for key in _name_keys(name, self.country)}
        found_by_name = {code for key in keys for code in self.by_key.get(key, ())}
        if found := self._one(found_by_name):
            return found
        parent = self.subdivisions.parent.get(iso)
        if parent and direction != "down":
            return self._from_iso_code(parent, "up")  # Odoo stores the level above: the state containing it
        return None
