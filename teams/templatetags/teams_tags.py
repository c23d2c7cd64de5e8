"""Small display helpers for team templates."""

from django import template

register = template.Library()

# Placeholder logos and banners use one of this many colour classes
# (hue-0 ... hue-11 in site.css), so pages need no inline styles.
HUE_CLASSES = 12
# A step coprime with HUE_CLASSES gives neighbouring ids distant colours.
HUE_STEP = 5


@register.filter
def team_hue(team):
    """Return the stable colour class number of a team's placeholder art."""
    return (team.pk or 0) * HUE_STEP % HUE_CLASSES


@register.filter
def monogram(team):
    """Return the letters shown in place of a missing logo: the tag or initials."""
    if team.tag:
        return team.tag[:4].upper()
    words = [word for word in team.name.split() if word[:1].isalnum()]
    letters = "".join(word[0] for word in words[:2]) or team.name[:2]
    return letters.upper()
