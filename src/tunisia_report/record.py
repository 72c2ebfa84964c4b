"""Conventions the record's rows follow beyond what the schema states, shared by the dataset
(which judges with them) and the text layer (which phrases with them). Standard library only."""

ARTICLE = "bechri-2014"  # sources.source_id of the article every row quotes
AUTHOR_VOICE = "The author"  # figures.attributed_to when the article states a figure itself
CENSUS_END = 2024  # the record's census of attacks runs to the end of this year
