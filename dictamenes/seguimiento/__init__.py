"""What follows a favourable dictamen: its conditions and their evidence, its
validity and the reminders before it lapses, and the contracts signed under it. It may import
`tramite`, `planeacion`, `avisos`, `organizacion` and `comun`."""
