"""The fiscal year simulated: a replay of a year's arrivals through the review
areas with the people and rates the record shows (`services.motor`), calibrated on the record
(`selectors.registro_anual`), and the fast track's scenarios and threshold search
(`services.via_rapida`). Read-only. It may import `cifras` and every capability below it."""
