"""The pace of Python's cyclic garbage collector, for the processes that serve and run the site.

By default it collects every 700 new container objects: a page's querysets, forms and context
set off several collections per request, and a management command that loads data many more.
It waits for 20,000 instead. Nothing else changes: what is garbage is still freed.
Measured: make bench-escala K=10, two runs each on the same machine, the median page 3.69×
and 3.73× the ceiling without, 3.42× and 3.39× with; cargar_demo on a new database 13.7 →
12.2 s; four of the suite's heaviest files 168.9 → 147.3–157.0 s.
"""

import gc

UMBRALES = (20_000, 50, 100)


def ajustar() -> None:
    gc.set_threshold(*UMBRALES)
