"""督办与调度 (supervision): the documents' tasks assigned to units, their targets measured from data,
the units' monthly reports, the monthly report (月调度) as Excel and PDF, and the annual 考核 of
streets (xicheng/29). See docs/supervision.md."""

from .service import Supervision
from .tasks import Task, Target, all_tasks, get_task

__all__ = ["Supervision", "Task", "Target", "all_tasks", "get_task"]
