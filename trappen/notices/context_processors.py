from django.http import HttpRequest

from .unread import ATTRIBUTE


def unread_notices(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted with the user when it was loaded (security.backends): a read-only request
    # changes no message, so that count holds; after a write, counted now.
    counted = getattr(user, ATTRIBUTE, None)
    if counted is not None and request.method in ("GET", "HEAD"):
        return {"unread_notice_count": counted}
    return {"unread_notice_count": user.notices.filter(read_at__isnull=True).count()}
