"""The figures: the indicators of the procedure (times, results, deadlines met),
the savings (approved against requested) and the dashboard that gathers them with the
conditions and the survey. Read-only. It may import every capability below it: `emision`,
`seguimiento`, `tramite`, `planeacion`, `avisos`, `organizacion` and `comun`."""
