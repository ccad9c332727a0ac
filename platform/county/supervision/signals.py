"""Signals of e-supervision, for window assessment (issue 15) and others.

order_overdue: a 督办单 was found overdue at the county (unanswered past its due day, or
answered late), sent once per order inside the transaction that marks it. kwargs: order
"""

from django.dispatch import Signal

order_overdue = Signal()
