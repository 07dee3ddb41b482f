"""Reads of the year-end capacity: capacity per area and week, and the absences and loans on
record."""
