from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_notifications(request):
    """Add the signed-in user's unread count for the page header.

    The count is lazy, so pages that never show it (the admin) run no
    query, and a page that shows it twice runs one COUNT.
    """

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"notification_unread_count": SimpleLazyObject(count)}
