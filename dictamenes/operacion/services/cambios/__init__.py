"""The kinds of configuration change the dual-control engine (operacion.services.configuracion)
asks, approves and applies: `tipos` registers them all (TIPOS) with what they share (`comun`),
each family in its module (calendar, agencies and positions, the office's profile, a partial
substitution), and `sin_area` names the reviewers a change would leave without an area."""
