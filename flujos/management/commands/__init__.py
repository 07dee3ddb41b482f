"""workflow_timers: expires the flow's deadlines (an unanswered prevención is discarded),
audited."""
