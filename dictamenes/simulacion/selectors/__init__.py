"""Reads of the simulation: what a year of the record says (arrivals, steps, times)."""
