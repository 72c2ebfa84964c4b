"""The report's sections, defined once: key (as the `sections` parameter names it) -> heading;
and the words of the document around them (`furniture`).

Headings are English messages (the notebook's Markdown heading cells, which JupyterLab's outline
shows, spell them so; a test holds them to this table); the exporters show each edition's
translation. Standard library only: the exporters import it without the plotting stack.
"""

from tunisia_report.text.i18n import N_, gettext, pgettext

SECTIONS = {
    "summary": N_("Summary of findings"),
    "key-figures": N_("Key figures"),
    "casualties": N_("Casualties and political violence"),
    "counter-terrorism": N_("Counter-terrorism results"),
    "measures": N_("Policy measures"),
    "timeline": N_("Timeline"),
    "map": N_("Where it happened"),
    "corroboration": N_("How the article holds up"),
    "aftermath": N_("What happened next"),
    "method": N_("Data and method"),
    "appendix": N_("Appendix: every figure with its quote"),
    "sources": N_("Sources"),
}

# What a report says where the dataset lacks what a passage needs (its text, or a value of one of
# its inline expressions); the exporters say it too.
LEFT_OUT = N_("A passage is left out: {reason}.")
# After a paragraph the edition's catalogue has no translation of, shown in English.
UNTRANSLATED = N_("(not yet translated)")


#: The title block's defaults: the report's own title (it checks the article, whose title it
#: quotes). The report's parameters cell leaves `title`, `subtitle` and
#: `author` empty; each edition (`lang`) shows these messages in its language, unless a value is
#: given (a variant, `-p`, or the cell itself).
TITLE_BLOCK = {
    "title": N_("Checking “Tunisia's Security-First Policy at a Crossroads”"),
    "subtitle": N_("Mohamed Bechri's article against the public record and the decade after"),
    "author": N_("Tunisia report project team"),
}


def title_block(lang: str) -> dict[str, str]:
    """The title block's default words in the edition `lang`."""
    from tunisia_report.text.i18n import language

    with language(lang):
        return {name: gettext(message) for name, message in TITLE_BLOCK.items()}


def furniture() -> dict[str, str]:
    """The words the HTML and PDF templates print around the report, in the active edition."""
    return {"kicker": gettext("Analysis"), "source-label": gettext("Source:"),
            "figure": pgettext("a numbered chart", "Figure"),
            "download": gettext("Download the data (CSV)"),
            "the-data": gettext("The chart's data"),
            "download-data": gettext("Download the data:"),
            "cite-sources": gettext("Cite the sources:"),
            "contents": gettext("Contents")}
