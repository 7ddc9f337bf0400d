"""Password rules with Thai messages. The other validators' messages come from the Thai
catalogue in accounts/locale; this one carries a number, which a Thai reader sees in Thai
digits, so it writes its messages itself."""

from __future__ import annotations

from django.contrib.auth import password_validation

from .thai import thai_number


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"รหัสผ่านนี้สั้นเกินไป ต้องมีอย่างน้อย {thai_number(self.min_length)} ตัวอักษร"

    def get_help_text(self) -> str:
        return f"รหัสผ่านต้องมีอย่างน้อย {thai_number(self.min_length)} ตัวอักษร"
