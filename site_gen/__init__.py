"""Catalog → citizen guide site.

Page renderers in :mod:`site_gen.pages` are pure functions (a :class:`~site_gen.site.Site` in,
a Markdown/HTML string out); :mod:`site_gen.hook` is the thin MkDocs adapter that adds them as
in-memory pages, and :mod:`site_gen.builder` runs MkDocs and the Pagefind indexer.
"""
