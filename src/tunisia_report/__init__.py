"""Reproducible report on "Tunisia's Security-First Policy at a Crossroads" (Bechri, 2014).

Kept light on purpose: importing the package imports no pandas, matplotlib or nbconvert.
"""

__version__ = "0.1.0"
