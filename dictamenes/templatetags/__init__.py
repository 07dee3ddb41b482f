"""Template tags of the domain: conditions, labels, dates, inline SVG charts and the
institution's texts."""
