"""The section "How the article holds up": the values of the paragraph that counts the claims
and their verdicts (the notebook's Markdown), the verdict cards (`report.cards`), the charts'
sentence, and the numbered list of the record's sources the cards cite. Templates are English
messages, filled from the dataset (`text.narrative.fill`); every number in them is a
placeholder.
"""

from __future__ import annotations

from tunisia_report.charts.figure_reports import reported_figures, unreported_figures
from tunisia_report.dataset.verdicts import VERDICTS, claims, reports_with_sources
from tunisia_report.report import cards
from tunisia_report.text import escape
from tunisia_report.text.formatting import publisher, word_list
from tunisia_report.text.i18n import N_, gettext, ngettext
from tunisia_report.text.narrative import Text, fill, join_texts, source_citations

SOURCES_HEAD = N_("Sources of the record, in the order the cards cite them: publisher, title "
                  "(in square brackets, in the project's words, where the page shows none), "
                  "date published, URL and date accessed.")
# The names the section's Markdown paragraph reads (`ref`): each a count of `verdict_counts`, and
# the claims of the two verdicts it lists.
COUNTED = {"n_claims": "n_claims", "n_claimed_figures": "n_figures",
           "n_claimed_events": "n_events", "n_checked_reports": "n_reports",
           "n_publishers": "n_publishers", "n_channels": "n_channels", "n_accurate": "n_accurate",
           "n_revised": "n_revised", "n_nearly_right": "n_nearly_right",
           "n_outdated": "n_outdated", "n_inaccurate": "n_inaccurate",
           "n_unverifiable": "n_unverifiable", "n_two_channels": "n_two"}


def verdict_counts(data) -> dict:
    """How many claims have each verdict, and the size of the record behind them."""
    table = claims(data)
    verdicts = table["verdict"].value_counts()
    reports = reports_with_sources(data)
    counts = {f"n_{v.replace('-', '_')}": int(verdicts.get(v, 0)) for v in VERDICTS}
    return {**counts, "n_claims": len(table), "n_reports": len(reports),
            "n_publishers": reports["producer"].map(publisher).nunique(),
            "n_channels": len(set(reports.loc[reports["counts"], "channel"])),
            "n_figures": int((table["kind"] == "figure").sum()),
            "n_events": int((table["kind"] == "event").sum()),
            "n_two": int(((table["n_channels"] >= 2)
                          & (table["verdict"] != "inaccurate")).sum())}


def _counted(key: str):
    return lambda data: verdict_counts(data)[key]


def _claims_listed(verdict: str):
    def listed(data) -> str:
        table = cards.ordered_claims(data)
        return _listing(table.loc[table["verdict"] == verdict, "label"])
    return listed


#: The values of the section's paragraph (notebooks/report.ipynb, cell corroboration-counts),
#: by the names `ref` reads (`content.VALUES` adds them).
VALUES = {**{name: _counted(key) for name, key in COUNTED.items()},
          "inaccurate_claims": _claims_listed("inaccurate"),
          "unverifiable_claims": _claims_listed("unverifiable")}


def _source_order(table) -> list[str]:
    """The record's sources in order of first citation by the cards (their numbers)."""
    order: list[str] = []
    for source_ids in table["source_ids"]:
        order += [s for s in source_ids if s not in order]
    return order


def corroboration_sources(data) -> Text:
    """The numbered list of the record's sources that the cards cite (a `bibliography` div:
    the PDF sets it compactly)."""
    entries = source_citations(data).entry  # citeproc's, in the report's CSL style
    notes = [entries[s] for s in _source_order(cards.ordered_claims(data))]
    head = gettext(SOURCES_HEAD)
    md = ["::: {.bibliography}", escape.markdown(head), ""]
    # A raw span, not pandoc's [...]{#id}: the same Span, read 3 times faster (its brackets
    # are not searched for a link)
    md += [f'{n}. <span id="source-{n}">{note.markdown}</span>' for n, note in enumerate(notes, 1)]
    md += ["", ":::"]
    html = (f"<p>{escape.html_text(head)}</p>" + '<ol class="sources" id="record-sources">'
            + "".join(f'<li id="source-{n}">{note.html}</li>'
                      for n, note in enumerate(notes, 1)) + "</ol>")
    plain = "\n".join([head, *(f"{n}. {note.plain}" for n, note in enumerate(notes, 1))])
    return Text("\n".join(md), f'<div class="narrative">{html}</div>', plain)


def corroboration_text(data, sections=("sources",)) -> Text:
    """A verdict card per claim (`report.cards`), corrections first, after the paragraph that
    counts them (the notebook's Markdown); a card's extra sources point to the list of sources
    where `sections` has it."""
    texts = [cards.verdict_cards(data, listed="sources" in sections)]
    charted = reported_figures(data)
    if charted:  # what the charts after the cards draw, and why the others are not charts
        labels = data.figures.set_index("figure_id")["label"]
        texts.append(fill(ngettext(
            "The chart below draws the one figure whose record is a series, every number its "
            "sources gave by date: {charted}. For {not_charted}, the record gives one or two "
            "numbers, or one that nearly every source gives; their cards state them.",
            "The charts below draw the {n} figures whose record is a series, every number its "
            "sources gave by date: {charted}. For {not_charted}, the record gives one or two "
            "numbers, or one that nearly every source gives; their cards state them.",
            len(charted)), data,
            n=len(charted), charted=_listing(labels[f] for f in charted),
            not_charted=_listing(labels[f] for f in unreported_figures(data))))
    return join_texts(*texts)


def _listing(items) -> str:
    """'a, b and c' (no quotation marks), or 'none'."""
    return word_list(items) or gettext("none")
