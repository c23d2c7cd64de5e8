import logging

from django.template.response import TemplateResponse

from .errors import DomainError, RateLimited

logger = logging.getLogger(__name__)


class DomainErrorMiddleware:
    """Render a DomainError that a view let through as a page with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        logger.info(
            "domain error",
            extra={"code": exception.code, "status": exception.status},
        )
        response = TemplateResponse(
            request,
            "core/error.html",
            {"error": exception, "status": exception.status},
            status=exception.status,
        )
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response.render()
