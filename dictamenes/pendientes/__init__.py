"""Each person's pending work on the home page: the tasks to take and to finish,
conditions to review, surveys to answer, programme reminders. Read-only; it gathers from
every capability below it."""
