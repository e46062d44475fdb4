"""Make a personal API token for a user from the command line (for a service account, or a benchmark).

    python manage.py api_token USERNAME --name "Power BI" --scope read --days 90

Prints the token once; only its digest is stored. The same rules as the tokens page apply (scopes by role).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import api_token_create


class Command(BaseCommand):
    help = "Make a personal API token for a user and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Command line")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, username, name, scope, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        try:
            issued = api_token_create(user=user, name=name, scope=scope, days=days)
        except PermissionDenied:
            raise CommandError(f"{username} may not have a {scope} token (see the roles in docs/api.md).") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(issued.secret)
