"""viewflow's `workflow_timers`, one run at a time across every app server.

viewflow fires each due timer under its process's lock, but starts scheduled processes
(`flow.StartTimer`) with nothing to stop two dispatchers from starting the same one; cron runs
this command on every server, so the whole run holds the lock. Django runs the command of the
first installed app that has one: `flujos` must come before `viewflow` in INSTALLED_APPS."""

from viewflow.management.commands import workflow_timers

from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, workflow_timers.Command):
    help = f"{workflow_timers.Command.help} (una corrida a la vez entre todos los servidores)"
