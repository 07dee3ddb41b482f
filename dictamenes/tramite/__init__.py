"""The request from draft to decision: creating and presenting it, admission and
prevención, the review by areas and the strategic decision (per item), information requests,
withdrawal and cancellation, folios, states and their transitions, who may see
or act on a request (`selectors.access`), the stage deadlines (`services.plazos`), the review
tracks (`reglas.vias`: the fast track's rule, pure; `selectors.vias`: what feeds it;
`services.vias`: its assignment and the mesa's move to the full track; the office's
configuration of the tracks is operacion.services.vias, beside the console's other settings).
The quotes (cotizaciones), the satisfaction survey (encuestas), the substitutions (suplencias)
and separation of duties (separacion) are rooms of their own. It may import the rooms below
it in the layers contract (pyproject.toml): those four, senales, `planeacion` (a presented
request is tied to its programme line), `avisos`, `organizacion` and `comun`."""
