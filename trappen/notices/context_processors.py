from django.http import HttpRequest


def unread_notices(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": user.notices.filter(read_at__isnull=True).count()}
