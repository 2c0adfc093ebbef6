from typing import Any

from django.core.management.base import BaseCommand

from heartmon.core.roles import role_table_markdown


class Command(BaseCommand):
    help = "Print the role table (which role may do what) as Markdown, as the README shows it."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(role_table_markdown())
