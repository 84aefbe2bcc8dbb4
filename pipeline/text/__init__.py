"""``bytes -> str`` and ``str -> str``: character tables, decoding, mojibake, normalisation
and script conversion. Knows nothing of pages, stories or runs."""
