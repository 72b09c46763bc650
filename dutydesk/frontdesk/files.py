"""Who may read IC-card photos: the posts that keep the cards of the unit."""
from typing import Any

from dutydesk.core import files
from dutydesk.frontdesk.selectors import cards_for


@files.reader("cards/")
def card_photo(user: Any, name: str) -> bool:
    return cards_for(user).filter(photo=name).exists()
