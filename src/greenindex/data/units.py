"""Unit names: map the many spellings of a province to one canonical code.

Provincial statistics arrive with full official names (内蒙古自治区), short names (内蒙古),
names padded with full-width spaces as printed in yearbooks (北　京), English names
(Inner Mongolia), romanisations (Nei Mongol, Xizang), Wade-Giles spellings found in old
tables (Kwangtung), one-character abbreviations (粤) and GB/T 2260 administrative division
codes (150000). All of them map to the ISO 3166-2:CN subdivision suffix (``NM``).

The workflow is not limited to Chinese provinces: :class:`UnitMatcher` matches any unit set
given as a table (``unit`` plus optional name columns), which is how COINr's 51-country
example runs through the same input contract.

References
----------
GB/T 2260-2007, *Codes for the administrative divisions of the People's Republic of China*.
ISO 3166-2:CN (subdivision codes, 2017 revision).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import pandas as pd

from greenindex.errors import InputError

_SUFFIXES_EN = (
    " uygur autonomous region",
    " uyghur autonomous region",
    " zhuang autonomous region",
    " hui autonomous region",
    " autonomous region",
    " special administrative region",
    " sar",
    " municipality",
    " province",
    " shi",
    " sheng",
)


def normalise_name(name: object) -> str:
    """A matching key for a unit name: NFKC, no whitespace or punctuation, lower case.

    >>> normalise_name("北　京")
    '北京'
    >>> normalise_name(" Inner-Mongolia ")
    'innermongolia'
    """
    s = re.sub(r"[\u2460-\u2473]+\s*$", "", str(name).strip())  # circled footnote numbers ①
    s = unicodedata.normalize("NFKC", s).strip().lower()
    if re.fullmatch(r"\d+\.0+", s):  # codes read as floats: 110000.0
        s = s.split(".")[0]
    # footnote markers printed after names in yearbooks: 北京*, 河北(1), 辽宁①
    s = re.sub(r"[\*＊†‡#]+$", "", s)
    s = re.sub(r"\(\d+\)$", "", s)
    s = re.sub(r"[\s\u3000'’`\-_.,，。·]+", "", s)
    return s


@lru_cache(maxsize=1)
def province_table() -> pd.DataFrame:
    """The 34 provincial-level units: code, GB/T 2260 code, names and aliases."""
    with resources.files("greenindex.data").joinpath("provinces.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _province_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for _, r in province_table().iterrows():
        code = r["code"]
        spellings = [
            code,
            r["gb2260"],
            r["gb2260"][:2],
            r["name_zh"],
            r["name_zh_short"],
            r["name_en"],
        ]
        spellings += [a for a in r["aliases"].split("|") if a]
        for sp in spellings:
            keys[normalise_name(sp)] = code
        # English names with administrative suffixes ("Hebei Province", "Xinjiang Uygur AR")
        en = r["name_en"].lower()
        for suf in _SUFFIXES_EN:
            keys.setdefault(normalise_name(en + suf), code)
    return keys


def _strip_en_suffix(key: str) -> str:
    for suf in _SUFFIXES_EN:
        k = normalise_name(suf)
        if key.endswith(k) and len(key) > len(k):
            return key[: -len(k)]
    return key


class UnitMatcher:
    """Match unit spellings against a known set.

    Parameters
    ----------
    keys
        Mapping from normalised spelling (see :func:`normalise_name`) to canonical code.
    display
        Mapping from canonical code to a display name used in error messages.
    """

    def __init__(self, keys: dict[str, str], display: dict[str, str]) -> None:
        self.keys = keys
        self.display = display

    @classmethod
    @lru_cache(maxsize=1)
    def china_provinces(cls) -> UnitMatcher:
        """Matcher for China's 34 provincial-level units (any spelling)."""
        t = province_table()
        display = {
            r["code"]: f"{r['name_zh_short']} / {r['name_en']} ({r['code']})"
            for _, r in t.iterrows()
        }
        return cls(dict(_province_keys()), display)

    @classmethod
    def from_table(
        cls, units: pd.DataFrame, name_columns: Sequence[str] = ("name_en", "name_zh")
    ) -> UnitMatcher:
        """Matcher for an arbitrary unit set: the ``unit`` column and any name columns."""
        keys: dict[str, str] = {}
        display: dict[str, str] = {}
        for _, r in units.iterrows():
            code = str(r["unit"])
            keys[normalise_name(code)] = code
            label = code
            for c in name_columns:
                if c in units.columns and pd.notna(r[c]) and str(r[c]).strip():
                    keys.setdefault(normalise_name(r[c]), code)
                    label = f"{r[c]} ({code})"
            display[code] = label
        return cls(keys, display)

    def lookup(self, name: object) -> str | None:
        """Canonical code for ``name`` or ``None`` when unknown."""
        key = normalise_name(name)
        if key in self.keys:
            return self.keys[key]
        stripped = _strip_en_suffix(key)
        if stripped in self.keys:
            return self.keys[stripped]
        # Chinese full names with a suffix the table does not list (e.g. 北京市人民政府 is not a unit,
        # but 广西壮族自治区 spelled 广西自治区 is)
        for suf in ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"):
            if key.endswith(suf) and key[: -len(suf)] in self.keys:
                return self.keys[key[: -len(suf)]]
        return None

    def closest(self, name: object, n: int = 3) -> list[str]:
        """Display names of the known units closest to ``name``."""
        key = normalise_name(name)
        hits = difflib.get_close_matches(key, list(self.keys), n=n * 3, cutoff=0.4)
        out: list[str] = []
        for h in hits:
            d = self.display.get(self.keys[h], self.keys[h])
            if d not in out:
                out.append(d)
        return out[:n]

    def match(
        self,
        names: Iterable[object],
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> list[str]:
        """Canonical codes for ``names``; raises one :class:`InputError` listing every unknown.

        ``rows`` are the 1-based file line numbers of ``names`` (for the message).
        """
        names = list(names)
        out: list[str] = []
        unknown: dict[str, list[int]] = {}
        for i, nm in enumerate(names):
            code = self.lookup(nm)
            if code is None:
                unknown.setdefault(str(nm), []).append(rows[i] if rows is not None else i + 2)
                out.append("")
            else:
                out.append(code)
        if unknown:
            parts = []
            for nm, rws in unknown.items():
                close = self.closest(nm)
                hint = f"; closest known: {', '.join(close)}" if close else ""
                rtxt = ", ".join(str(r) for r in rws[:5]) + (" ..." if len(rws) > 5 else "")
                parts.append(f"'{nm}' (row {rtxt}){hint}")
            raise InputError(
                f"{len(unknown)} unknown unit name(s): " + "; ".join(parts),
                file=file,
                column=column,
                fix="correct the spelling, or add the unit to the units table "
                "(for Chinese provinces any official, short, English or GB/T 2260 spelling is accepted).",
            )
        return out


def canonical_unit(name: object, *, file: str | None = None, row: int | None = None) -> str:
    """Canonical ISO 3166-2:CN code of a Chinese provincial-level unit.

    >>> canonical_unit("内蒙古自治区"), canonical_unit("Nei Mongol"), canonical_unit(150000)
    ('NM', 'NM', 'NM')
    """
    return UnitMatcher.china_provinces().match([name], file=file, rows=[row] if row else None)[0]


def match_units(
    names: Iterable[object],
    *,
    file: str | None = None,
    column: str | None = None,
    rows: Sequence[int] | None = None,
) -> list[str]:
    """Canonical province codes for many names at once (one error listing all unknowns)."""
    return UnitMatcher.china_provinces().match(names, file=file, column=column, rows=rows)
