from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heartmon.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from heartmon.accounts import schema  # noqa: F401  (OpenAPI extensions)
