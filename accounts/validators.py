from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# Words that would shadow a page under /players/ or read as an official account.
RESERVED_HANDLES = frozenset(
    {
        "admin", "administrator", "api", "staff", "support", "moderator",
        "deltacrown", "root", "system", "me", "edit", "new", "create",
        "settings", "accounts", "static", "media", "null", "none",
    }
)  # fmt: skip

HANDLE_MAX_LENGTH = 32
HANDLE_PATTERN = r"^[A-Za-z0-9_.-]+\Z"
MSG_HANDLE_CHARACTERS = (
    "Handles may contain only letters, digits, dots, hyphens and underscores."
)
MSG_HANDLE_RESERVED = "The handle “{handle}” is reserved. Choose another."

handle_characters = RegexValidator(HANDLE_PATTERN, MSG_HANDLE_CHARACTERS, "invalid")


def handle_not_reserved(value):
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError(MSG_HANDLE_RESERVED.format(handle=value), code="reserved")


HANDLE_VALIDATORS = [handle_characters, handle_not_reserved]
