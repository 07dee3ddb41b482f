"""Red flags (issue 80): the catalogue of signs that a request deserves a second look, each
with its rule, threshold and source (catalogo), their pure rules (reglas), the door that
computes them when what they read changes and records what whoever decides did about them
(services), and what the pages and the open data read of them (selectors). It sits below the
doors that call it (tramite, seguimiento) and may import `precios`, `planeacion`, `avisos`,
`organizacion` and `comun`."""
