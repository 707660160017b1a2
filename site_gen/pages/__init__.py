"""One module per page family; each exposes pure ``render_*`` functions returning page source."""
