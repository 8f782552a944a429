"""The demo's ``user`` service: the workbench's ``?student=<id>`` as an Open edX-shaped user.

It fills the same ``edx-platform.*`` attributes as the platform's user service, so that the
host adapters read people the same way in the demo as in the LMS.
"""

from __future__ import annotations

from xblock.reference.user_service import UserService, XBlockUser

from .data import display_name, email_address
from .models import DemoPerson


class DemoUserService(UserService):
    """Answers for the student id the workbench runtime was created with."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = None  # set by the workbench right after construction
        self._user = None

    def get_current_user(self):
        if self._user is None:
            username = str(getattr(self.runtime, "user_id", None) or "")
            self._user = self._make_user(username)
        return self._user

    @staticmethod
    def _make_user(username: str) -> XBlockUser:
        if not username:
            return XBlockUser(is_current_user=True)
        person = DemoPerson.objects.filter(username=username).first()
        user = XBlockUser(
            is_current_user=True,
            emails=[email_address(username)],
            full_name=person.display_name if person else display_name(username),
        )
        is_staff = bool(person and person.is_staff)
        user.opt_attrs.update(
            {
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": person.pk if person else None,
                "edx-platform.username": username,
                "edx-platform.anonymous_user_id": username,
                "edx-platform.user_is_staff": is_staff,
                "edx-platform.user_role": "staff" if is_staff else "student",
            }
        )
        return user
