"""Indicators, the review's savings and the dashboard, computed with SQL aggregation (read only)."""
