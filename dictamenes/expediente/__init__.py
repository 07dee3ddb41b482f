"""The request's page (expediente): the page itself, its context, and every POST sent from it,
whichever capability's service it calls. It sits above the capabilities (beside the API and
the admin in the layers contract) and imports them; none of them imports it. What other
capabilities add to the page (forms, sections, actions after the dictamen) is declared in
`registro`, in one place, instead of being handed in at start-up.

May import: every capability below it (tramite, emision, seguimiento, planeacion, precios …),
`comun` and the models. Imported by: `dictamenes.urls` only."""
