"""Numbers written in words, in the languages of the record's sources, read as integers.

`parse("eight thousand", "en")` is 8000, `parse("vingt-deux", "fr")` 22, and `parse("the 1950s",
"en")` 1950 (a decade by its first year); words that are not one whole number give None.
"""

from __future__ import annotations

import re

_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_FR_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
             "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize")
_FR_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
            "soixante": 60}
SMALL = {
    "en": {**{w: i for i, w in enumerate(_EN_UNITS)}, **_EN_TENS},
    "fr": {**{w: i for i, w in enumerate(_FR_UNITS)}, **_FR_TENS, "une": 1},
}
HUNDRED = {"en": {"hundred"}, "fr": {"cent", "cents"}}
SCALES = {"en": {"thousand": 1000, "million": 10**6, "billion": 10**9},
          "fr": {"mille": 1000, "million": 10**6, "millions": 10**6, "milliard": 10**9,
                 "milliards": 10**9}}
JOINERS = {"en": {"and"}, "fr": {"et"}}
DIGITS = re.compile(r"(?:the\s+|les\s+années\s+)?(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)s?",
                    re.I)


def parse(text: str, lang: str) -> int | None:
    """The whole number the text states (words in `lang`, or digits), or None if the text is
    not one number (qualitative words such as 'several', or a language without number words
    here)."""
    text = text.strip()
    if match := DIGITS.fullmatch(text):
        return int(re.sub(r"\D", "", match[1]))
    if lang not in SMALL:
        return None
    words = [w for w in re.split(r"[\s\-]+", text.casefold()) if w]
    if not words:
        return None
    total = current = 0
    seen, previous = False, None
    for word in words:
        if word in JOINERS[lang]:
            continue
        if lang == "fr" and word.startswith("vingt") and previous == "quatre":
            current += 76  # quatre-vingt: four twenties, the four already counted
        elif word in SMALL[lang]:
            current += SMALL[lang][word]
        elif word in HUNDRED[lang]:
            current = max(current, 1) * 100
        elif word in SCALES[lang]:
            total += max(current, 1) * SCALES[lang][word]
            current = 0
        else:
            return None
        seen, previous = True, word
    return total + current if seen else None


def numbers_in(text: str, lang: str) -> list[int]:
    """Every whole number the text states, each run of number words (or digits) read as one:
    'eight thousand jihadists' gives [8000]."""
    tokens = re.findall(r"[\w,\u202f\u00a0-]+", text)
    found, run = [], []

    def close():
        while run and run[-1].casefold() in JOINERS.get(lang, ()):
            run.pop()
        if run and (value := parse(" ".join(run), lang)) is not None:
            found.append(value)
        run.clear()

    for token in tokens:
        word = token.strip(",-")
        if parse(word, lang) is not None or (run and (
                word.casefold() in JOINERS.get(lang, ())
                or word.casefold() in HUNDRED.get(lang, ())
                or word.casefold() in SCALES.get(lang, {}))):
            run.append(word)
        else:
            close()
    close()
    return found
