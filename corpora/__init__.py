"""Documents in: the catalogue of corpora, readers for each input format, and the bundled documents."""

from policydiff.corpora.catalogue import Catalogue, Entry, load_entry

__all__ = ["Catalogue", "Entry", "load_entry"]
