import django.core.validators
from django.db import migrations, models

import accounts.validators


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={
                    "unique": "An account with that handle already exists."
                },
                help_text="At most 32 characters: letters, digits, dots, hyphens and underscores.",
                max_length=32,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Za-z0-9_.-]+\\Z",
                        "Handles may contain only letters, digits, dots, hyphens and underscores.",
                        "invalid",
                    ),
                    accounts.validators.handle_not_reserved,
                ],
                verbose_name="handle",
            ),
        ),
    ]
