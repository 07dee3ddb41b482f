"""The annual programme of each agency (its lines, the tie of each presented
request to its line, the cut-off date and the reminders) and the load forecast from the
programme and the history. It may import `avisos`, `organizacion` and `comun`."""
