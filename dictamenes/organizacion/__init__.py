"""The organisation as data: the review areas and which standards' categories
each reviews, the institution's texts (name, letterhead, legal basis, place), the calendar of
non-working days, and who holds which role (`selectors.usuarios`); the letterhead's image is
measured against its limit in pixels by `imagenes`. Its pages are the
administrators' «Áreas de revisión» and «Textos de la institución», in the console
(dictamenes.consola, under /cuentas/). The procedure reads all of this, so it sits below
`tramite`. It may import `comun`."""
