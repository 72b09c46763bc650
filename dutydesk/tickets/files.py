"""Who may read a ticket's photos and documents: whoever may see the ticket (staff by scope, the resident theirs)."""
from dutydesk.core import files
from dutydesk.tickets.models import Ticket, TicketAttachment
from dutydesk.tickets.selectors import visibility


@files.reader("tickets/")
def ticket_attachment(user, name):
    return TicketAttachment.objects.filter(file=name, ticket__in=Ticket.objects.filter(visibility(user))).exists()
