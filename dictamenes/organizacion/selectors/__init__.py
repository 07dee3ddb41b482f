"""Reads of the organisation: areas, calendar of non-working days, agencies, reviewers without
area, institution texts, users by role."""
