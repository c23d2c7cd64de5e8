"""Model building blocks shared by the apps."""

from django.db import models


class AppendOnlyError(TypeError):
    """Raised on any attempt to change or delete a row of an append-only table."""


def _rejected(model, change):
    label = str(model._meta.verbose_name_plural).capitalize()
    return AppendOnlyError(f"{label} are append-only and cannot be {change}.")


class AppendOnlyQuerySet(models.QuerySet):
    """Queryset whose bulk updates and deletes raise AppendOnlyError."""

    def update(self, **kwargs):
        raise _rejected(self.model, "updated")

    def delete(self):
        raise _rejected(self.model, "deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise _rejected(self.model, "updated")


class AppendOnlyModel(models.Model):
    """A row is written once: saving a stored row or deleting one raises.

    Django's deletion collector still runs SET_NULL updates through the
    database when a referenced row is deleted; those bypass these guards.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _rejected(type(self), "updated")
        # An INSERT even when a pk is set, so a copy cannot overwrite a row.
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _rejected(type(self), "deleted")
