import logging

from django.template.response import TemplateResponse

from .errors import DomainError, RateLimited

logger = logging.getLogger(__name__)


class DomainErrorMiddleware:
    """Render a DomainError that a view let through as a page with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            return self._method_not_allowed(request, response)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        logger.info(
            "domain error",
            extra={"code": exception.code, "status": exception.status},
        )
        response = _error_page(request, exception)
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response

    def _method_not_allowed(self, request, response):
        """Give the empty 405 of Django's method decorators a readable page."""
        allowed = response.get("Allow", "")
        page = _error_page(
            request,
            DomainError(MSG_METHOD_NOT_ALLOWED.format(allowed=allowed)),
            status=405,
        )
        page["Allow"] = allowed
        return page


MSG_METHOD_NOT_ALLOWED = (
    "This address does not accept that kind of request (allowed: {allowed}). "
    "Use the buttons on the page instead of opening the address directly."
)


def _error_page(request, error, status=None):
    status = status or error.status
    return TemplateResponse(
        request, "core/error.html", {"error": error, "status": status}, status=status
    ).render()
