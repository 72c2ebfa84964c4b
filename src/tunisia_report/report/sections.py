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
}


def furniture() -> dict[str, str]:
    """The words the HTML and PDF templates print around the report, in the active edition."""
    return {"kicker": gettext("Analysis"), "source-label": gettext("Source:"),
            "figure": pgettext("a numbered chart", "Figure"),
            "download-data": gettext("Download the data:"),
            "cite-sources": gettext("Cite the sources:")}
