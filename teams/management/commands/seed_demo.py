from django.core.management.base import BaseCommand

from teams.demo import ADMIN_USERNAME, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Create a demo community: about 200 players, 40 teams in 5 games, "
        "rosters, game accounts and points. Does nothing when demo data exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=7,
            help="Seed of the random generator; one seed always gives the same data.",
        )

    def handle(self, *args, seed, **options):
        result = seed_demo(seed=seed)
        if not result.created:
            self.stdout.write(
                f"Demo data already present (accounts @{DEMO_EMAIL_DOMAIN}); "
                "nothing to do."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.users} accounts, {result.teams} teams and "
                f"{result.memberships} memberships (seed {seed})."
            )
        )
        self.stdout.write(
            f"Sign in as any demo player or as the staff account "
            f"“{ADMIN_USERNAME}” with the password “{DEMO_PASSWORD}”."
        )
