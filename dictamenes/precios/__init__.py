"""Price (issue 62): the reference price of each standard profile from the state's own
approved and paid unit prices, the market price of each item from its quotes, and where a
typed price stands. reglas: the pure rules; services: the doors that keep the observations
and the references (called by the doors that issue, rectify and cancel dictámenes and record
contracts); selectors: what the pages read, in bounded queries: the references and the
market (its package), each item's price on the reviewers' pages (partidas), the price basis of
a decision in words (base) and the item form's live price (en_vivo), which left tramite for
this room (issue 92)."""
