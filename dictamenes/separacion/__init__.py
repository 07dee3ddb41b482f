"""Separation of duties and the people it reads (issue 92, item 1): the one table and its
predicate (`regla`: SEPARACION, impedimento, sin_impedimento), who took part in a request's
content (`implicados`: its reviewers and who decided it) and who acts for its agency
(`requirentes`). Below the procedure (tramite) and the red flags (senales), so every door
that checks the rule, attending a sign included, calls it instead of restating it."""
