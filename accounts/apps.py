from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module holds two configs (and imports axes' own)
    name = "accounts"
    verbose_name = "การเข้าสู่ระบบ"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()


class AxesConfig(AxesAppConfig):
    """django-axes under a Thai heading in the admin (INSTALLED_APPS names this class)."""

    default = False
    verbose_name = "การป้องกันการเดารหัสผ่าน"
