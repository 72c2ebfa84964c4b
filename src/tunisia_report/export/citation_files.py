"""The bibliography as files a reference manager opens: CSL-JSON, BibLaTeX and RIS.

Each writer starts from the CSL-JSON items (`text.bibliography.csl_items`) and is the one place
where a source's text crosses into its format, so each escapes it here:

- every field is one line of plain text: control characters, line and paragraph separators and
  bidirectional controls become a space (a line break would start a new RIS tag or record; an
  override would reorder the text after it);
- BibLaTeX is written here, not by pandoc: pandoc title-cases English titles, reads `<i>` in a
  title as markup and curls quotes; a title here keeps its case (wrapped in braces) and its
  characters (LaTeX's specials escaped), and each entry gets the `langid` its language needs;
- RIS is written by rispy without its numbered headers: `ELEC` for web pages, `NEWS` for news
  articles, `LA` for the language.
"""

from __future__ import annotations

import json
import re
import unicodedata

import rispy

# Characters no bibliography field may hold: C0/C1 controls (tab and newline included), the
# Unicode line and paragraph separators and the bidirectional embeddings, overrides, isolates
# and marks.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f"
                     r"\u061c]+")


def plain_field(value) -> str:
    """`value` as one line of plain text: unsafe characters become one space, NFC-normalised."""
    text = _UNSAFE.sub(" ", unicodedata.normalize("NFC", str(value)))
    return re.sub(r" {2,}", " ", text).strip()


def _plain(item: dict) -> dict:
    """A CSL item with every string in it made a plain field (names and dates included)."""
    if isinstance(item, dict):
        return {key: _plain(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_plain(value) for value in item]
    return plain_field(item) if isinstance(item, str) else item


def csl_json(items: list[dict]) -> bytes:
    """CSL-JSON, one item per source, keys sorted: stable bytes."""
    items = [_plain(item) for item in items]
    return (json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


# --- BibLaTeX ---------------------------------------------------------------------------------

# CSL type -> (BibLaTeX entry type, entrysubtype).
BIBLATEX_TYPES = {
    "article-newspaper": ("article", "newspaper"),
    "webpage": ("online", None),
    "post-weblog": ("online", None),
    "entry-encyclopedia": ("online", None),
    "report": ("report", None),
    "dataset": ("dataset", None),
    "document": ("misc", None),
}
# ISO 639-1 -> the babel/polyglossia language name BibLaTeX's langid expects.
BABEL_NAMES = {"en": "english", "fr": "french", "ar": "arabic", "de": "ngerman",
               "it": "italian", "es": "spanish"}
# LaTeX's specials, and the characters LaTeX would turn into other ones (quotes curled, `--` a
# dash), each written so that it stays itself.
_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                  "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\textasciitilde{}",
                  "'": r"\textquotesingle{}", '"': r"\textquotedbl{}", "`": r"\`{}",
                  "-": "-"}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIAL if c != "-") + "|-(?=-)")


def latex_text(value) -> str:
    """Plain text as BibLaTeX field content that reads back as the same characters."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group()] + ("{}" if m.group() == "-" else ""),
                         plain_field(value))


def _latex_url(url: str) -> str:
    """A URL for BibLaTeX's verbatim `url` field: characters that would unbalance or end the
    field (braces, backslash, spaces) percent-encoded; existing escapes such as %20 kept."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", plain_field(url))


def _latex_date(date: dict | None) -> str | None:
    if not date:
        return None
    return "-".join(str(p).zfill(2) for p in date["date-parts"][0])


def _latex_name(name: dict) -> str:
    """A name as 'Family, Given', each part braced; a name with a comma or an 'and' in it is
    one braced literal instead (readers split name parts at commas, whatever the braces)."""
    if name.get("literal"):
        return "{" + latex_text(name["literal"]) + "}"
    family, given = latex_text(name.get("family", "")), latex_text(name.get("given", ""))
    if re.search(r",|\band\b", f"{family} {given}"):
        return "{" + " ".join(filter(None, (given, family))) + "}"
    return f"{{{family}}}, {{{given}}}" if given else f"{{{family}}}"


def biblatex_entry(item: dict) -> str:
    """One CSL item as a BibLaTeX entry; the title's case is kept by a pair of braces."""
    entry_type, subtype = BIBLATEX_TYPES.get(item["type"], ("misc", None))
    fields: list[tuple[str, str]] = []
    if item.get("author"):
        fields.append(("author", " and ".join(_latex_name(a) for a in item["author"])))
    if item.get("title"):
        fields.append(("title", "{" + latex_text(item["title"]) + "}"))
    if item.get("title-short"):
        fields.append(("shorttitle", "{" + latex_text(item["title-short"]) + "}"))
    if item.get("container-title"):
        key = "journaltitle" if entry_type == "article" else "organization"
        fields.append((key, latex_text(item["container-title"])))
    if item.get("publisher"):
        key = "institution" if entry_type == "report" else "publisher"
        fields.append((key, latex_text(item["publisher"])))
    for key, csl_key in (("date", "issued"), ("urldate", "accessed")):
        if _latex_date(item.get(csl_key)):
            fields.append((key, _latex_date(item[csl_key])))
    if item.get("URL"):
        fields.append(("url", _latex_url(item["URL"])))
    if subtype:
        fields.append(("entrysubtype", subtype))
    language = plain_field(item.get("language", ""))
    if language:
        fields.append(("langid", BABEL_NAMES.get(language, language)))
    key = re.sub(r"[^A-Za-z0-9_.:-]", "-", plain_field(item["id"]))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def biblatex(items: list[dict]) -> bytes:
    """The bibliography as BibLaTeX, one entry per item, in order."""
    return "\n".join(biblatex_entry(item) for item in items).encode("utf-8")


# --- RIS --------------------------------------------------------------------------------------

# CSL type -> RIS reference type.
RIS_TYPES = {"webpage": "ELEC", "article-newspaper": "NEWS", "entry-encyclopedia": "ENCYC",
             "post-weblog": "BLOG", "report": "RPRT", "dataset": "DATA", "document": "GEN"}


class _Writer(rispy.RisWriter):
    """rispy's writer without the numbered line before each record ("1."), which pandoc and
    several reference managers read as junk."""

    def set_header(self, count):
        return ""


def _ris_date(date: dict | None) -> str | None:
    """RIS's YYYY/MM/DD/ form of CSL date-parts (missing parts left empty)."""
    if not date:
        return None
    parts = [str(p).zfill(2) for p in date["date-parts"][0]] + ["", ""]
    return "/".join(parts[:3]) + "/"


def ris_entry(item: dict) -> dict:
    """One CSL item as a rispy entry (every value a plain field)."""
    item = _plain(item)
    entry = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "id": item["id"]}
    if item.get("title"):
        entry["title"] = item["title"]
    if item.get("title-short"):
        entry["short_title"] = item["title-short"]
    if item.get("author"):
        entry["authors"] = [a.get("literal") or ", ".join(filter(None, (a.get("family"),
                                                                        a.get("given"))))
                            for a in item["author"]]
    if item.get("container-title"):
        entry["secondary_title"] = item["container-title"]
    if item.get("publisher"):
        entry["publisher"] = item["publisher"]
    if _ris_date(item.get("issued")):
        entry["date"] = _ris_date(item["issued"])
        entry["year"] = str(item["issued"]["date-parts"][0][0])
    if _ris_date(item.get("accessed")):
        entry["access_date"] = _ris_date(item["accessed"])
    if item.get("URL"):
        entry["urls"] = [item["URL"]]
    if item.get("language"):
        entry["language"] = item["language"]
    return entry


def ris(items: list[dict]) -> bytes:
    """The bibliography as RIS, written by rispy."""
    return rispy.dumps([ris_entry(item) for item in items], implementation=_Writer).encode()
