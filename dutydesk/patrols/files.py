"""Who may read the photos of patrol checkpoints: staff who see the round (patrols.view in its project)."""
from typing import Any

from dutydesk.core import files
from dutydesk.patrols.models import RoundCheckpoint
from dutydesk.patrols.selectors import rounds_for


@files.reader("patrols/")
def checkpoint_photo(user: Any, name: str) -> bool:
    return RoundCheckpoint.objects.filter(photo=name, round__in=rounds_for(user).prefetch_related(None)
                                          .values("pk")).exists()
