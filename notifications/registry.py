"""Registry of notification kinds.

Each app registers the kinds it sends in its AppConfig.ready(), so this app
never needs to know about features built on top of it. A kind has a label
(shown in lists and the admin) and a template that turns the notification's
data into the sentence a user reads.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    kind: str
    label: str
    # A str.format pattern, or a callable that takes the data dict and
    # returns the text. The data always contains "actor" and "team".
    template: str | Callable[[dict], str]

    def render(self, data):
        if callable(self.template):
            return self.template(data)
        try:
            return self.template.format(**data)
        except (KeyError, IndexError) as error:
            raise ValueError(
                f"Notification kind {self.kind!r} needs the data key {error}."
            ) from error


_kinds: dict[str, NotificationKind] = {}


def register(kind, *, label, template):
    """Register a notification kind.

    Registering the same definition twice is a no-op; a different definition
    under a taken kind raises ValueError.
    """
    entry = NotificationKind(kind=kind, label=label, template=template)
    existing = _kinds.get(kind)
    if existing is not None and existing != entry:
        raise ValueError(f"Notification kind {kind!r} is already registered.")
    _kinds[kind] = entry
    return entry


def get_kind(kind):
    """Return the registered kind, or raise ValueError for an unknown one."""
    try:
        return _kinds[kind]
    except KeyError:
        raise ValueError(
            f"Unknown notification kind {kind!r}; register it first."
        ) from None


def kind_choices():
    return sorted((entry.kind, entry.label) for entry in _kinds.values())
