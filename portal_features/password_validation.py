from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedCharactersValidator:
    """A password needs at least one upper-case letter, one lower-case letter and one digit."""

    def validate(self, password, user=None):
        # str methods, not [A-Z]: "É" counts as an upper-case letter for a French parent.
        if not (
            any(char.isupper() for char in password)
            and any(char.islower() for char in password)
            and any(char.isdigit() for char in password)
        ):
            raise ValidationError(self.get_help_text(), code="password_not_mixed")

    def get_help_text(self):
        return _(
            "Your password must contain at least one upper-case letter, "
            "one lower-case letter and one digit."
        )
