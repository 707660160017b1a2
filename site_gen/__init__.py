"""Catalog → citizen guide site.

Page renderers in :mod:`site_gen.pages` are pure functions (a :class:`~site_gen.site.Site` in,
a Markdown/HTML string out). :mod:`site_gen.sources` (``build.py generate``) writes their
output as plain files into a build folder, incrementally; any MkDocs-compatible engine builds
that folder (:mod:`site_gen.engines`), and :mod:`site_gen.builder` (``build.py build``) runs the
engine for the hand-written pages while :mod:`site_gen.render` renders the generated ones on
every core, then :mod:`site_gen.pagefind` indexes the output.
"""
