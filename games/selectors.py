from .models import Game, Region


def game_list_active():
    return Game.objects.filter(is_active=True)


def region_list():
    return Region.objects.all()


def game_get_by_slug(slug):
    return Game.objects.filter(slug=slug, is_active=True).first()


def region_get_by_slug(slug):
    return Region.objects.filter(slug=slug).first()
