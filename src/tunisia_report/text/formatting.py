"""Numbers, amounts, names and source lines as the report writes them, read from dataset rows,
in the active edition's language (numbers by Babel: '8,000', '8 000', '8.000')."""

from __future__ import annotations

import re

import pandas as pd

from tunisia_report.exceptions import DataError
from tunisia_report.record import ARTICLE
from tunisia_report.text.dates import format_date
from tunisia_report.text.i18n import N_, edition, gettext, quote

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

    `unit` is the dataset's own unit (see `original`). Digits follow CLDR's default numbering
    system for the locale (Latin for en_GB, fr_FR and ar_TN).
    """
    from babel.numbers import format_decimal

    if unit == "year":
        return str(int(value))
    return format_decimal(int(value), locale=edition().locale, numbering_system="default")


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
    return re.sub(r",? (via|reproduced by) .*$", "", name).strip()


def published(source) -> str:
    """A source's date of publication, or 'n.d.'."""
    return (format_date(source["date_published"], "day")
            if pd.notna(source["date_published"]) else gettext("n.d."))


def source_row(data, source_id: str) -> pd.Series:
    """The sources row with this id; a DataError names an unknown id."""
    rows = data.sources[data.sources["source_id"] == source_id]
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
    return gettext(", ").join(parts)


def source_line(data, source_id: str = ARTICLE) -> str:
    """'Source: Bechri, The Washington Institute, 23 July 2014'."""
    return gettext("Source: {source}").format(source=source_short(data, source_id))


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
