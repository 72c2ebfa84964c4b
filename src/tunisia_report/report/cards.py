"""A verdict card per claim, as fact-checkers lay one out: the claim in the article's words with
who said it and when, what it asserts, the verdict as a badge (a word on a colour), the one-line
conclusion, the reason, and the claim's own sources as links. Corrections come first.

Each card is written twice from the same fields: as HTML for the browser (an `<article>` with
the id `claim-<id>`) and as pandoc Markdown for the PDF (a `verdict-card` div whose heading
carries the id; `export/filters/notebook.lua` turns the div and its badge into
`report-verdict-card` and `verdict-badge` of `report.typ`). Text from the dataset is escaped
at this one crossing into each format.
"""

from __future__ import annotations

import re

import pandas as pd

from tunisia_report.charts.style import VERDICT_COLOURS
from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.dataset.verdicts import claims
from tunisia_report.text import escape
from tunisia_report.text.dates import format_date
from tunisia_report.text.formatting import (
    localized_sources,
    publisher,
    short_producer,
    surname,
    verdict_words,
)
from tunisia_report.text.i18n import edition, gettext, isolate, ngettext, quote
from tunisia_report.text.narrative import Text

# Corrections first: what the record contradicts or had already replaced, then what is close
# but wrong, then what it cannot test, then what was right (later revised, then accurate).
CARD_ORDER = ("inaccurate", "outdated", "nearly-right", "unverifiable", "revised", "accurate")
MAX_SOURCES = 4  # a card links its best sources; the list of sources has them all
_ID = re.compile(r"[^A-Za-z0-9_.:-]")


def anchor(claim_id: str) -> str:
    """The card's anchor: `claim-<id>` (HTML id and Typst label alike)."""
    return "claim-" + _ID.sub("-", str(claim_id))


def ordered_claims(data) -> pd.DataFrame:
    """The claims in card order: corrections first, the dataset's order within a verdict."""
    table = claims(data)
    rank = {v: i for i, v in enumerate(CARD_ORDER)}
    table["_rank"] = table["verdict"].map(rank).fillna(len(rank))
    return table.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


# A run of text: (words, foreign). A foreign run (a Latin name or title in an Arabic line, a
# quoted title with its marks, a date) is isolated: <bdi> in HTML, Unicode isolates in the
# PDF's right-to-left edition, so it reads in order and keeps its marks at its own ends.
Run = tuple[str, bool]


def source_runs(source) -> list[Run]:
    """'Reuters, “Title”, 17 July 2014' (a title the stored copy does not show is left out),
    the publisher and the title isolated, the quotation marks and date in the edition's own."""
    opening, closing = edition().quotes
    runs: list[Run] = [(publisher(source["producer"]), True)]
    if pd.notna(source["title"]):
        runs += [(gettext(", "), False), (opening + str(source["title"]) + closing, True)]
    runs += [(gettext(", "), False), (
        format_date(source["date_published"], source["published_precision"])
        if pd.notna(source["date_published"]) else gettext("n.d."), True)]
    if "copy_host" in source and pd.notna(source["copy_host"]) and source["copy_host"]:
        runs += [(gettext(", read on "), False), (str(source["copy_host"]), True)]
    return runs


def article_runs(data) -> list[Run]:
    """'— Bechri, The Washington Institute, 23 July 2014', the names isolated."""
    row = localized_sources(data).set_index("source_id").loc[ARTICLE]
    names = [surname(row["author"])] if pd.notna(row["author"]) else []
    names.append(short_producer(row["producer"]))
    runs: list[Run] = []
    for name in names:
        runs += [(name, True), (gettext(", "), False)]
    runs.append((format_date(row["date_published"], "day"), True))
    before, _, after = gettext("— {source}").partition("{source}")
    return [(before, False), *runs, (after, False)]


def _markdown(runs: list[Run]) -> str:
    return "".join(escape.markdown(isolate(t) if foreign else t) for t, foreign in runs)


def _html(runs: list[Run]) -> str:
    return "".join(f"<bdi>{escape.html_text(t)}</bdi>" if foreign else escape.html_text(t)
                   for t, foreign in runs if t)


def _plain(runs: list[Run]) -> str:
    return "".join(t for t, _ in runs)


def verdict_cards(data, listed: bool = True) -> Text:
    """Every claim's card, corrections first; `listed`: the report has the numbered list of
    sources (section "sources") that a card's "and 3 more" points to."""
    sources = localized_sources(data).set_index("source_id")
    said_by = article_runs(data)
    cards = [_card(claim, sources, said_by, listed)
             for claim in ordered_claims(data).to_dict("records")]
    return Text("\n\n".join(c.markdown for c in cards),
                '<div class="verdict-cards">' + "".join(c.html for c in cards) + "</div>",
                "\n\n".join(c.plain for c in cards))


def _card(claim: dict, sources: pd.DataFrame, said_by: list[Run], listed: bool) -> Text:
    verdict = claim["verdict"]
    word, colour, ident = verdict_words(verdict), VERDICT_COLOURS[verdict], anchor(
        claim["claim_id"])
    known = [s for s in claim["source_ids"] if s in sources.index]
    shown, more = known[:MAX_SOURCES], len(known) - MAX_SOURCES
    links = [(source_runs(sources.loc[s]), escape.safe_url(sources.loc[s, "url"])) for s in shown]
    if more <= 0:
        more_words = ""
    elif listed:
        more_words = ngettext("and {n} more in the list of sources", "and {n} more in the list "
                              "of sources", more).format(n=more)
    else:
        more_words = ngettext("and {n} more source", "and {n} more sources", more).format(n=more)
    labels = {"asserts": gettext("What it asserts:"), "why": gettext("Why:"),
              "not_tested": gettext("Not tested:"), "note": gettext("The record adds:"),
              "sources": gettext("Its sources:")}
    extra = [(key, str(claim.get(key) or "")) for key in ("not_tested", "note")
             if claim.get(key)]
    no_sources = gettext("none found")
    opening, closing = edition().quotes  # the edition's marks, isolated with the English words
    quoted = quote(claim["quote"])

    # Markdown, for the PDF
    md_links = [f"[{_markdown(runs)}](<{url}>)" if url else _markdown(runs)
                for runs, url in links]
    if more_words:
        md_links.append(escape.markdown(more_words))
    md = [f"::: {{.verdict-card colour=\"{colour}\"}}",
          f"### {escape.markdown(claim['label'])} {{#{ident}}}", "",
          f"[{escape.markdown(word)}]{{.verdict-badge colour=\"{colour}\"}} "
          f"{escape.markdown(claim['conclusion'])}", "",
          f"> {escape.markdown(isolate(opening + claim['quote'] + closing))} "
          f"{_markdown(said_by)}", "",
          f"**{escape.markdown(labels['asserts'])}** {escape.markdown(claim['asserts'])}", "",
          f"**{escape.markdown(labels['why'])}** {escape.markdown(claim['reason'])}", "",
          *[line for key, text in extra for line in
            (f"**{escape.markdown(labels[key])}** {escape.markdown(text)}", "")],
          f"**{escape.markdown(labels['sources'])}** "
          + (escape.markdown(gettext("; ")).join(md_links) or escape.markdown(no_sources)),
          ":::"]

    # HTML, for the browser
    h = escape.html_text
    html_links = [f'<li><a href="{h(url)}">{_html(runs)}</a></li>' if url
                  else f"<li>{_html(runs)}</li>" for runs, url in links]
    if more_words:
        html_links.append(f'<li><a href="#record-sources">{h(more_words)}</a></li>' if listed
                          else f"<li>{h(more_words)}</li>")
    html = (
        f'<article class="verdict-card verdict-card--{h(verdict)}" id="{ident}" '
        f'aria-labelledby="{ident}-title" style="border-inline-start-color:{colour}">'
        f'<h3 id="{ident}-title">{h(claim["label"])}</h3>'
        f'<p class="verdict-card__verdict"><span class="verdict-badge" '
        f'style="background-color:{colour}">{h(word)}</span> {h(claim["conclusion"])}</p>'
        f'<blockquote class="verdict-card__quote"><p><bdi lang="en">{h(opening)}'
        f'{h(claim["quote"])}{h(closing)}</bdi> '
        f'<span class="verdict-card__by">{_html(said_by)}</span></p></blockquote>'
        f'<dl class="verdict-card__facts">'
        f'<dt>{h(labels["asserts"])}</dt><dd>{h(claim["asserts"])}</dd>'
        f'<dt>{h(labels["why"])}</dt><dd>{h(claim["reason"])}</dd>'
        + "".join(f"<dt>{h(labels[key])}</dt><dd>{h(text)}</dd>" for key, text in extra) +
        f'<dt>{h(labels["sources"])}</dt><dd>'
        + (f'<ul class="verdict-card__sources">{"".join(html_links)}</ul>' if html_links
           else h(no_sources))
        + "</dd></dl></article>")

    plain = "\n".join([claim["label"], f"[{word}] {claim['conclusion']}",
                       f"{quoted} {_plain(said_by)}",
                       f"{labels['asserts']} {claim['asserts']}",
                       f"{labels['why']} {claim['reason']}",
                       *(f"{labels[key]} {text}" for key, text in extra),
                       f"{labels['sources']} " + (gettext("; ").join(
                           [f"{_plain(r)} {u or ''}".strip() for r, u in links]
                           + ([more_words] if more_words else [])) or no_sources)])
    return Text("\n".join(md), html, plain)
