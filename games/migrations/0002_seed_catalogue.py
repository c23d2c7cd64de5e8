from django.db import migrations

# slug, name, starters, max roster (players + subs), max coaches, positions,
# what a game account is called.
GAMES = [
    ("cs2", "Counter-Strike 2", 5, 7, 2, [], "Steam ID"),
    ("valorant", "Valorant", 5, 7, 2, [], "Riot ID"),
    ("dota2", "Dota 2", 5, 7, 2, ["1", "2", "3", "4", "5"], "Steam ID"),
    ("lol", "League of Legends", 5, 7, 2,
     ["top", "jungle", "mid", "bottom", "support"], "Riot ID"),
    ("pubgm", "PUBG Mobile", 4, 6, 2, [], "Player ID"),
    ("freefire", "Free Fire", 4, 6, 2, [], "Player ID"),
    ("mlbb", "Mobile Legends", 5, 7, 2, [], "Player ID"),
    ("rocketleague", "Rocket League", 3, 4, 1, [], "Epic ID"),
    ("efootball", "eFootball", 1, 3, 1, [], "Konami ID"),
]  # fmt: skip

REGIONS = [
    ("europe", "Europe"),
    ("americas", "Americas"),
    ("asia", "Asia"),
    ("oceania", "Oceania"),
    ("africa", "Africa"),
    ("middle-east", "Middle East"),
]


def seed(apps, schema_editor):
    Game = apps.get_model("games", "Game")
    Region = apps.get_model("games", "Region")
    for order, row in enumerate(GAMES):
        slug, name, starters, max_roster, max_coaches, positions, label = row
        Game.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "starters": starters,
                "max_roster": max_roster,
                "max_coaches": max_coaches,
                "positions": positions,
                "account_label": label,
                "sort_order": order,
            },
        )
    for order, (slug, name) in enumerate(REGIONS):
        Region.objects.update_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("games", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
