from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import RateLimited
from .health import READINESS_CHECKS, run_readiness_checks


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    failures = run_readiness_checks()
    checks = {name: failures.get(name, "ok") for name in READINESS_CHECKS}
    if failures:
        return JsonResponse(
            {"status": "unavailable", "failed": sorted(failures), "checks": checks},
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": checks})


# The maximum window of allauth's default limits on sign-in, sign-up and
# password reset is five minutes (allauth 65), so a retry after it falls in
# a new window.
ACCOUNT_RETRY_AFTER_SECONDS = 300
MSG_ACCOUNT_RATE_LIMITED = (
    "Too many attempts from this address or for this account. "
    "Wait five minutes, then try again."
)


def too_many_requests(request, exception=None):
    """Render allauth's rate-limit response as the site's 429 page."""
    error = RateLimited(
        MSG_ACCOUNT_RATE_LIMITED, retry_after=ACCOUNT_RETRY_AFTER_SECONDS
    )
    response = render(
        request, "core/error.html", {"error": error, "status": 429}, status=429
    )
    response["Retry-After"] = str(error.retry_after)
    return response
