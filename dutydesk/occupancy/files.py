"""Who may read renovation inspection photos: staff who see the renovation (a resident, even of the unit, does not:
the procedures are the staff's)."""
from typing import Any

from dutydesk.core import files
from dutydesk.occupancy.models import InspectionPhoto
from dutydesk.occupancy.selectors import VIEW, renovations_for
from dutydesk.org import access


@files.reader("renovations/")
def inspection_photo(user: Any, name: str) -> bool:
    return access.has_perm(user, VIEW) and InspectionPhoto.objects.filter(
        file=name, inspection__renovation__in=renovations_for(user)).exists()
