"""The web edge: what the staff and resident pages share above org and archive and below the domain apps (the home
page, the navigation, request-parameter helpers). Not a Django app: its URLs are wired in ``dutydesk/urls.py``."""
