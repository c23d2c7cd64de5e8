from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_MAX_ROSTER = 8


class Game(models.Model):
    """A supported game and the roster rules its teams follow."""

    slug = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64, unique=True)
    starters = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    max_roster = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=(
            "Maximum players plus substitutes, captain and co-captains included. "
            f"Empty means {DEFAULT_MAX_ROSTER}."
        ),
    )
    max_coaches = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(10)]
    )
    positions = models.JSONField(
        default=list,
        blank=True,
        help_text="Lineup positions, each used once per lineup; empty for none.",
    )
    account_label = models.CharField(
        max_length=32,
        default="Game ID",
        help_text='What a player\'s game account is called, for example "Riot ID".',
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def roster_limit(self):
        """Maximum players plus substitutes, with the default applied."""
        return self.max_roster or DEFAULT_MAX_ROSTER

    def clean(self):
        if self.max_roster and self.starters > self.max_roster:
            raise ValidationError(
                {"starters": "Starters cannot exceed the maximum roster size."}
            )
        if not isinstance(self.positions, list) or not all(
            isinstance(position, str) and position for position in self.positions
        ):
            raise ValidationError({"positions": "Positions must be a list of names."})
        if len(set(self.positions)) != len(self.positions):
            raise ValidationError({"positions": "Each position may appear once."})


class Region(models.Model):
    slug = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
