"""The admin, where editors enter and correct the record. Each module registers its pages
when it is imported: the events (events.py), the recommendations (recommendations.py), the
users (users.py) and every other record (records.py)."""

from . import events, recommendations, records, users  # noqa: F401 - register their pages
