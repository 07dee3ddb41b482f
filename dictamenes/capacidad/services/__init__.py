"""Writes of the year-end capacity: absences and loans (audited), the week-by-week plan and its
weekly notice."""
