"""The flow's own nodes: a fan-out by data, and the review task each of its branches makes.

viewflow's open core documents a `data_source` on `Split.Next` ("creating an instance of the node
for each item, with `task.data` set to the item", viewflow/workflow/nodes/split.py) and keeps the
slot for it in every branch, but its activation ignores it: each branch is made once. `PorDatos`
honours it. Everything else is viewflow's own: the split's token source gives each task its own
token under the split's, so viewflow's Join waits for all of them, however many; the tasks are
viewflow tasks, with its permissions, locks, inbox and queue.
"""

from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation

from dictamenes.models import Area
from dictamenes.tramite.selectors.areas import area_de_tarea, areas_de_tarea
from flujos import views


class PorDatosActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        """One task for each item a branch's data source gives (none for an empty list)."""
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks += [(node, dato) for dato in data_source(self)]
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class PorDatos(flow.Split):
    """A parallel split whose branch may be made once per item of data (see the module)."""

    activation_class = PorDatosActivation

    def Next(self, node, case=None, data_source=None):  # noqa: N802 - viewflow's node API
        self._activate_next.append((node, case, data_source))
        return self


class Paso(flow.View):
    """A step a person attends. viewflow's own assign and unassign pages would change who owns
    the task with no audit event and none of the separation-of-duties rules; here a step is
    taken from the request's page (tareas.tarea_tomar, tareas.paso_tomar): their links lead
    there, and a POST to them is refused (views.AlExpediente)."""

    assign_view_class = views.AlExpediente
    unassign_view_class = views.AlExpediente


class RevisionDeArea(Paso):
    """A technical review task, one per area: the task's data names its area, and the area is
    the object its reviewers hold `revisar_area` on (guardian), as the task's owner permission
    object, so viewflow's queue offers it only to that area's reviewers. A fast-track
    request's single review names its lead area there and every area involved in its data."""

    def calc_owner_permission_obj(self, activation):
        return self._area(activation.task)

    def can_assign(self, user, task):
        """The area's reviewers; for a fast-track request's single review, the reviewers of
        any area involved (its data lists them), since viewflow's queue offers a task only to
        the holders of its one owner permission object (see pendientes.bandeja.cola_de)."""
        if task.owner_id or user is None or user.is_anonymous:
            return False
        if user.has_perm(task.owner_permission):
            return True
        areas = Area.objects.filter(pk__in=areas_de_tarea(tarea=task)).order_by("pk")
        return any(user.has_perm(task.owner_permission, obj=area) for area in areas)

    @staticmethod
    def _area(task):
        return Area.objects.get(pk=area_de_tarea(tarea=task))
