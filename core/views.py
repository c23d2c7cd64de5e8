from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
