"""Capacity for the year-end rush (issue 50): the review areas' capacity as data (reviewers,
their absences and the office's non-working days, substitutions, reinforcements, each person's
reviews per day measured from the record), the plan that sets it against the forecast load week
by week with the year simulation's p90, the what-if, and the weekly warning."""
