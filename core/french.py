"""How French is written for families: « d'Emma », « 1er janvier », « 8 h 30 », « 1,5 Mo ».

Pure functions, used by the `french` template filters and by code that builds sentences.
"""

import datetime
import re
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format, number_format

VOWELS = set("aeiouy")


def starts_with_vowel(word: str) -> bool:
    """« Emma », « Éloïse », « Yanis » elide « de »; « Hugo » keeps it (h aspiré or not,
    a first name is safer written « de Hugo »)."""
    word = word.strip()
    if not word:
        return False
    first = unicodedata.normalize("NFD", word[0])[0].lower()
    return first in VOWELS


def of(name) -> str:
    """« de Léa », « d'Emma »."""
    name = str(name)
    return f"d'{name}" if starts_with_vowel(name) else f"de {name}"


def elide(text, name) -> str:
    """Write « de Emma » as « d'Emma » in a translated sentence that names `name`."""
    text, name = str(text), str(name)
    if not name or not starts_with_vowel(name):
        return text
    return re.sub(rf"\b([Dd])e {re.escape(name)}", lambda match: f"{match[1]}'{name}", text)


def name_key(name) -> str:
    """A person's name as two people may type it: « Chloé » and « CHLOE », « Jean-Marc » and
    « jean marc », « N'Diaye » and « N’Diaye » give the same key (no accents, no case, one
    space between the parts)."""
    plain = unicodedata.normalize("NFKD", str(name or ""))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(re.split(r"[\s\-'’‘]+", plain.casefold())).strip()


def long_date(day, *, weekday: bool = False) -> str:
    """« 1er janvier 2027 », « 2 janvier 2027 »; with the weekday, « vendredi 1er janvier
    2027 ». Months in lower case, as French writes them."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    ordinal = "1er" if day.day == 1 else str(day.day)
    text = f"{ordinal} {date_format(day, 'F Y').lower()}"
    if weekday:
        text = f"{date_format(day, 'l').lower()} {text}"
    return text


def hour(value) -> str:
    """« 8 h 30 », « 17 h » (with no-break spaces, so the time is never cut at a line end)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"


def hours(start, end) -> str:
    """« 8 h 30 – 17 h 30 »."""
    return f"{hour(start)} – {hour(end)}"


def file_size(size) -> str:
    """« 850 octets », « 12 Ko », « 1,5 Mo »: the units French readers know (not « Mio »)."""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size}\u00a0octet" + ("s" if size > 1 else "")
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            digits = 0 if size >= 10 else 1
            return f"{number_format(round(size, digits), digits)}\u00a0{unit}"
    raise AssertionError("unreachable")


def address_lines(holder) -> list[str]:
    """A postal address as printed on a letter: the street, its complement, « 69001 Lyon »,
    leaving out what is empty (`holder` has `address_line`, `address_complement`,
    `postal_code` and `city`: a family, a régie)."""
    lines = (
        holder.address_line,
        holder.address_complement,
        f"{holder.postal_code} {holder.city}".strip(),
    )
    return [line for line in lines if line]
