"""Numbers, amounts, names and source lines as the report writes them, read from dataset rows,
in the active edition's language (numbers by Babel: '8,000', '8 000', '8.000')."""

from __future__ import annotations

import functools
import re

import pandas as pd

from tunisia_report.exceptions import DataError
from tunisia_report.record import ARTICLE
from tunisia_report.text.dates import format_date
from tunisia_report.text.i18n import N_, edition, gettext, isolate, ngettext, quote

# How each `figures.value_kind` is named where a chart or table states it.
KIND_WORDS = {"exact": N_("Exact figure"), "estimate": N_("Estimate"),
              "lower_bound": N_("Lower bound"), "qualitative": N_("In words only")}
# The words for the dataset's other codes (enums of datapackage.json), as charts and text show
# them.
CODE_WORDS = {
    # measures.stage
    "planned": N_("planned"), "agreed": N_("agreed"), "under-way": N_("under way"),
    "in-place": N_("in place"),
    # measures.kind
    "governance": N_("governance"), "institution": N_("institution"),
    "surveillance": N_("surveillance"), "departure-tracking": N_("departure tracking"),
    "border-security": N_("border security"),
    "regional-cooperation": N_("regional cooperation"),
    # events.category
    "assassination": N_("assassination"), "attack": N_("attack"), "politics": N_("politics"),
    "security-operation": N_("security operation"), "diplomacy": N_("diplomacy"),
    "publication": N_("publication"), "other": N_("other"),
    # figures.value_kind, in running text
    "exact": N_("exact"), "estimate": N_("estimate"), "lower_bound": N_("lower bound"),
    "qualitative": N_("qualitative"),
    # places.kind
    "country": N_("country"), "city": N_("City"), "mountain": N_("Mountain"),
    # searches.lang
    "en": N_("English"), "fr": N_("French"), "ar": N_("Arabic"),
}


# A verdict's word, as its badge shows it (the scale of `dataset.verdicts.VERDICTS`).
VERDICT_WORDS = {"accurate": N_("Accurate"), "nearly-right": N_("Nearly right"),
                 "outdated": N_("Outdated"), "revised": N_("Later revised"),
                 "inaccurate": N_("Inaccurate"), "unverifiable": N_("Unverifiable")}


def verdict_words(verdict: str) -> str:
    """'Inaccurate': the badge's word for a verdict."""
    return gettext(VERDICT_WORDS[str(verdict)])


def kind_words(kind: str) -> str:
    """'Estimate'."""
    return gettext(KIND_WORDS[str(kind)])


def code_words(code: str) -> str:
    """A code of the dataset in words: 'under-way' -> 'under way'."""
    return gettext(CODE_WORDS[str(code)])


def original(row, field: str):
    """A translated field's value as the dataset states it (`Dataset.localized` keeps it as
    `<field>_original`); the field itself in an untranslated table."""
    return row.get(f"{field}_original", row[field])


def format_number(value, unit: str = "") -> str:
    """'8,000' ('8 000', '8.000'); years are written without a separator ('1950').

    `unit` is the dataset's own unit (see `original`). Digits and signs follow CLDR's default
    numbering system for the locale (Latin for en_GB, fr_FR and ar_TN); a whole number.
    """
    if unit == "year":
        return str(int(value))
    return format_decimal(int(value))


def format_decimal(value, places: int | None = None) -> str:
    """'34.2' ('34,2' in French and Arabic): a number in the edition's own group and decimal
    signs (CLDR's, by Babel: ar_TN groups with '.' and marks decimals with ','), never Python's.
    `places` fixes the decimals shown; without it, as many as the value has (up to three)."""
    from babel.numbers import format_decimal as babel_decimal

    pattern = None if places is None else "#,##0" + ("." + "0" * places if places else "")
    return babel_decimal(value, format=pattern, locale=edition().locale,
                         numbering_system="default")


def format_percent(share: float) -> str:
    """'29%' ('29 %' in French): a share between 0 and 1 as a whole percentage, in the
    edition's CLDR pattern."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(share, locale=edition().locale, numbering_system="default")


def format_money(value, currency: str) -> str:
    """An amount of money as the edition writes it: '€134 million', '134 millions d’euros',
    '134 مليون يورو' (from a million up, in CLDR's long compact words); '€8,500', '8 500 €'
    below. `currency` is an ISO 4217 code."""
    from babel import Locale
    from babel.numbers import (
        format_compact_decimal,
        format_currency,
        get_currency_name,
        get_currency_symbol,
    )

    locale = edition().locale
    if abs(value) < 1_000_000:
        return format_currency(value, currency, "¤#,##0;-¤#,##0", locale=locale,
                               currency_digits=False, numbering_system="default")
    amount = format_compact_decimal(value, format_type="long", locale=locale,
                                    fraction_digits=1, numbering_system="default")
    if Locale.parse(locale).currency_formats["standard"].pattern.startswith("\xa4"):
        # a language that writes the sign first (English) says '€134 million'
        return f"{get_currency_symbol(currency, locale=locale)}{amount}"
    # TRANSLATORS: an amount in millions or billions and the currency's name: '134 million euros'.
    return gettext("{amount} {currency}").format(
        amount=amount, currency=get_currency_name(currency, count=value, locale=locale))


def format_value(row) -> str:
    """A figure's amount as prose: the number, 'at least N', or the article's words."""
    if pd.isna(row["value"]):
        return str(row["amount_text"])
    number = format_number(row["value"], original(row, "unit"))
    if row["value_kind"] == "lower_bound":
        return gettext("at least {number}").format(number=number)
    return number


def surname(name: str) -> str:
    """The last word of a personal name ('Mohamed Bechri' -> 'Bechri')."""
    return str(name).split()[-1]


def short_producer(producer: str) -> str:
    """The producer without a trailing 'for ...' clause, if at least three words remain.

    'The Washington Institute for Near East Policy' -> 'The Washington Institute';
    'Center for Strategic Studies' stays whole.
    """
    head = str(producer).split(" for ", 1)[0]
    return head if len(head.split()) >= 3 else str(producer)


def publisher(producer: str) -> str:
    """The publisher without the mirror that holds the copy: 'Le Temps (Tunisia), via Turess'
    -> 'Le Temps (Tunisia)'; 'Gawker (stored via a CloudFront mirror)' -> 'Gawker'."""
    name = re.sub(r" \((stored via|distributed by|republishing)[^)]*\)", "", str(producer))
    return name_words(re.sub(r",? (via|reproduced by) .*$", "", name).strip())


# Our own notes inside sources.csv's text, in every edition's words. A publisher's trailing
# qualifier, '(Algeria)', '(French)', '(French edition)', is a country or language (CLDR's
# names, by Babel) or one of these; a role after a person's name, one of ROLE_WORDS.
QUALIFIER_WORDS = {"personal website": N_("personal website"), "blog": N_("blog")}
ROLE_WORDS = {"member of the Bundestag": N_("member of the Bundestag")}
EDITION_OF = N_("{language} edition")  # '(French edition)': fr 'édition en français'
EDITION_IN = N_("{place} edition")  # '(Tunis edition)'
# A title the source does not show, described by us: '[No headline shown: Soldiers killed in
# the Mount Chaambi attack]'. The subject is a row's title or label where one matches.
TITLE_NOTES = {"No headline shown": N_("[No headline shown: {subject}]"),
               "Title not known": N_("[Title not known: {subject}]")}
TOLL_OF = N_("toll of: {subject}")
_TITLE_NOTE = re.compile(r"^\[(No headline shown|Title not known): (toll of: )?(.*)\]$")
_QUALIFIER = re.compile(r" \(([^()]+)\)$")


@functools.cache
def _english_names(kind: str) -> dict[str, str]:
    """{'Algeria': 'DZ'} (kind 'territories') or {'French': 'fr'} ('languages'), from CLDR
    (made once per process: read it, do not change it)."""
    from babel import Locale

    return {name: code for code, name in getattr(Locale.parse("en"), kind).items()}


def country_words(name: str) -> str:
    """A country (or the EU) named in English in the dataset, in the edition's words (CLDR's
    names, by Babel: 'Germany' -> 'Allemagne', 'ألمانيا'); a name CLDR lacks as it is."""
    from babel import Locale

    code = _english_names("territories").get(str(name))
    return Locale.parse(edition().locale).territories[code] if code else str(name)


def qualifier_words(text: str) -> str:
    """A publisher's qualifier in the edition's words: 'Algeria' -> 'Algérie', 'French' ->
    'français', 'French edition' -> 'édition en français'; any other (a name) as it is."""
    from babel import Locale

    here = Locale.parse(edition().locale)
    if text in _english_names("territories"):
        return country_words(text)
    if text in _english_names("languages"):
        return here.languages[_english_names("languages")[text]]
    if text in QUALIFIER_WORDS:
        return gettext(QUALIFIER_WORDS[text])
    if text.endswith(" edition"):
        head = text.removesuffix(" edition")
        if head in _english_names("languages"):
            return gettext(EDITION_OF).format(
                language=here.languages[_english_names("languages")[head]])
        return gettext(EDITION_IN).format(place=head)
    return text


def name_words(name: str) -> str:
    """A publisher's or person's name with our qualifiers in the edition's words: 'El Watan
    (Algeria)' -> 'El Watan (Algérie)'; 'Andrej Hunko, member of the Bundestag' -> '…,
    membre du Bundestag'. English editions get the name as the dataset writes it."""
    name = str(name)
    if edition().lang == "en":
        return name
    match = _QUALIFIER.search(name)
    if match:
        name = f"{name[:match.start()]} ({qualifier_words(match[1])})"
    head, sep, role = name.rpartition(", ")
    role, paren, rest = role.partition(" (")
    if sep and role in ROLE_WORDS:
        name = head + sep + gettext(ROLE_WORDS[role]) + paren + rest
    return name


def title_words(title, subjects: dict[str, str] | None = None):
    """A source's title, our bracketed note about it in the edition's words ('[Titre non
    affiché : Soldats tués …]'); the subject translated where `subjects` ({English: edition's})
    has it. A real title (or none) as it is."""
    if not isinstance(title, str) or edition().lang == "en":
        return title
    match = _TITLE_NOTE.match(title)
    if not match:
        return title
    subject = (subjects or {}).get(match[3], match[3])
    if match[2]:
        subject = gettext(TOLL_OF).format(subject=subject)
    return gettext(TITLE_NOTES[match[1]]).format(subject=subject)


def translated_subjects(data) -> dict[str, str]:
    """{English title or label: the edition's} over the translated rows that a title note can
    describe (events, attacks, figures, outcomes, measures): from a localized dataset."""
    pairs = {}
    for table, field in (("events", "title"), ("attacks", "title"), ("figures", "label"),
                         ("outcomes", "name"), ("measures", "name")):
        frame = data.get(table) if hasattr(data, "get") else None
        if frame is None or f"{field}_original" not in frame:
            continue
        for english, words in zip(frame[f"{field}_original"], frame[field], strict=True):
            if isinstance(english, str) and isinstance(words, str):
                pairs.setdefault(english, words)
    return pairs


def actor_words(data, name):
    """A person or body the dataset names as an actor ('Mohamed Bechri'), as the edition
    names it ('محمد بشري', from the translations table); any other name as it is."""
    actors = data.get("actors") if hasattr(data, "get") else None
    if actors is None or "name_original" not in actors or not isinstance(name, str):
        return name
    found = actors[actors["name_original"] == name]["name"]
    return str(found.iloc[0]) if len(found) and pd.notna(found.iloc[0]) else name


def localized_sources(data) -> pd.DataFrame:
    """The sources table with our title notes and the authors the dataset names as actors
    ('محمد بشري') in the edition's words, as citations and source lists print it (`publisher`
    translates the producers' qualifiers). Kept on the dataset for the edition's language
    (`Dataset.kept`: every chart's source line asks, 86 ms each time in French): read it, do
    not change it."""
    return data.kept(_localized_sources, edition().lang)


def _localized_sources(data, lang: str) -> pd.DataFrame:
    sources = data.sources.copy()
    if lang == "en":
        return sources
    subjects = translated_subjects(data)
    sources["title"] = [title_words(t, subjects) for t in sources["title"]]
    sources["author"] = [actor_words(data, a) for a in sources["author"]]
    return sources


# A credit a chart prints from sources.csv's `citation` (its first sentence), in the edition's
# words: Natural Earth asks for this one.
CREDITS = {"Made with Natural Earth.": N_("Made with Natural Earth.")}


def credit_words(credit: str) -> str:
    """A data credit in the edition's words ('Réalisé avec Natural Earth.'); another as it is."""
    return gettext(CREDITS[credit]) if credit in CREDITS else credit


def published(source) -> str:
    """A source's date of publication, or 'n.d.'."""
    return (format_date(source["date_published"], "day")
            if pd.notna(source["date_published"]) else gettext("n.d."))


def source_row(data, source_id: str) -> pd.Series:
    """The sources row with this id, in the edition's words (`localized_sources`); a DataError
    names an unknown id."""
    sources = localized_sources(data)
    rows = sources[sources["source_id"] == source_id]
    if rows.empty:
        raise DataError(f"no source {source_id!r} in sources.csv")
    return rows.iloc[0]


def source_short(data, source_id: str = ARTICLE) -> str:
    """'Bechri, The Washington Institute, 23 July 2014', built from the sources table."""
    row = source_row(data, source_id)
    parts = [surname(row["author"])] if pd.notna(row["author"]) else []
    parts.append(short_producer(row["producer"]))
    if pd.notna(row["date_published"]):
        parts.append(format_date(row["date_published"], "day"))
    return gettext(", ").join(isolated_parts(parts))


def isolated_parts(parts) -> list[str]:
    """Each part of a list of names and dates isolated in a right-to-left edition (U+2068 …
    U+2069), so a Latin name cannot pull the digits of the date after it into its own run
    ('المصدر: Bechri، …، 23 جويلية 2014' keeps '23 جويلية 2014' whole); as they are otherwise."""
    return [isolate(str(p)) for p in parts]


def source_line(data, source_id: str = ARTICLE) -> str:
    """'Source: Bechri, The Washington Institute, 23 July 2014'."""
    return gettext("Source: {source}").format(source=source_short(data, source_id))


def stage_count(stage: str, n: int) -> str:
    """'3 planned' ('3 prévues'): how many measures reached a stage, the word agreeing with
    the count in the edition's plural forms."""
    forms = {
        "planned": ngettext("{count} planned", "{count} planned", n),
        "agreed": ngettext("{count} agreed", "{count} agreed", n),
        "under-way": ngettext("{count} under way", "{count} under way", n),
        "in-place": ngettext("{count} in place", "{count} in place", n),
    }
    if str(stage) not in forms:
        return gettext("{count} {stage}").format(count=format_number(n), stage=stage_words(stage))
    return forms[str(stage)].format(count=format_number(n))


def stage_words(stage: str) -> str:
    """'under-way' -> 'under way'."""
    return code_words(stage)


def word_list(items) -> str:
    """'a, b and c' in the edition's words; '' for none."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return gettext("{items} and {last}").format(items=gettext(", ").join(items[:-1]),
                                                last=items[-1])


def quoted_list(items) -> str:
    """'“a”, “b” and “c”' (in the edition's quotation marks and words)."""
    return word_list(quote(i) for i in items)
