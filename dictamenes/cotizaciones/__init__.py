"""The market quotes a request's items carry (issue 76; issue 80): `services` adds and removes
one (a supplier's document, its price, its contact read once and kept as a fingerprint for the
red flags), `views` are its two doors on the request's page. Its own room above the procedure,
not in precios: it writes through the request's draft (tramite.services.solicitudes: editable,
its annexes) and recomputes the red flags (senales), both above the market rules (precios),
which it reads and which sit below them in the layers contract."""
