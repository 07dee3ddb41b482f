"""Substitutions (issue 59): who stands in for a person who attends steps while they are away.
`selectors` reads them (the titulares a person stands in for today, the areas and roles a
substitution would lend, what waits for approval), below the procedure that asks them
(tramite: taking a step, acting on it; pendientes: the inbox and the queue); `services` writes
them (at once, or as a change a second administrator approves through
operacion.services.cambios.tipos_sustitucion). The page is tramite.views.suplencias."""
