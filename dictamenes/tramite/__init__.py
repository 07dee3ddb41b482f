"""The request from draft to decision: creating and presenting it, admission and
prevención, the review by areas and the strategic decision (per item), information requests,
substitutions, withdrawal and cancellation, folios, states and their transitions, who may see
or act on a request (`selectors.access`), the stage deadlines (`services.plazos`), the review
tracks (`reglas.vias`: the fast track's rule, pure; `selectors.vias`: what feeds it;
`services.vias`: its assignment and the administrators' configuration) and the requester's
satisfaction survey (invited when a request ends). It may import `planeacion` (a presented
request is tied to its programme line), `avisos`, `organizacion` and `comun`."""
