import factory
from allauth.account.models import EmailAddress

from accounts.models import GameAccount, Profile, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """An account with a verified email; its profile comes from the signal."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"player{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if not create:
            return
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=extracted if extracted is not None else True,
            primary=True,
        )


class UnclaimedProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    handle = factory.Sequence(lambda n: f"nick{n}")
    display_name = factory.LazyAttribute(lambda profile: profile.handle)


class GameAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GameAccount

    profile = factory.SubFactory(UnclaimedProfileFactory)
    game = factory.LazyFunction(lambda: _game("cs2"))
    account_id = factory.Sequence(lambda n: f"STEAM_0:1:{n:08d}")
    in_game_name = factory.LazyAttribute(lambda account: account.profile.handle)


def _game(slug):
    from games.models import Game

    return Game.objects.get(slug=slug)
