"""One error family for domain rules.

Services raise these; views, the middleware and later the API turn them into
a response with the error's HTTP status and its message.
"""


class DomainError(Exception):
    """A broken product rule, with a message that explains what to do next."""

    status = 400
    code = "invalid"

    def __init__(self, message, *, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, message, *, retry_after, code=None):
        super().__init__(message, code=code)
        self.retry_after = int(retry_after)
