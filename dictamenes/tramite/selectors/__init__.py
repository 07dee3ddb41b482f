"""Reads of the procedure, one topic per module: who may see or act (access), who took part
(implicados), open steps (tareas), areas, amounts (montos), deadlines (plazos), states
(estados), what stands decided (resoluciones), actions and steps, history, decisions, tracks,
prices and substitutions."""
