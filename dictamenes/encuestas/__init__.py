"""The requirente's satisfaction survey (issue 31): invited when a request ends, answered once
and anonymously, published in shuffled batches. `services` writes it (the invitation, called
in the transaction that ends the request by tramite.services.etapas and emision; the sealed
answer; the publication cron runs); `selectors` reads it (what waits in «Pendientes», the
published figures). Below the procedure that invites it, above separacion (only a requirente
of the request's agency answers). The page is tramite.views.encuestas."""
