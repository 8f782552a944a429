"""Real Django models with the platform's fields, for the queries of the Open edX adapter.

The adapter's ``enrolled_learners`` and ``staff_contacts`` are ORM queries across the platform's
tables (``user__profile__name``, ``course_id``, ``role``), so their doubles are models: a field
name or lookup the platform does not have fails here as it would in the LMS. Only the fields the
adapter reads, and the targets of their foreign keys, are kept; each keeps the platform's name,
type, ``related_name`` and table. Read in openedx/openedx-platform:

- common/djangoapps/student/models/user.py (at commit 0b870c13): ``UserProfile``, ``CourseAccessRole``
  (its ``NoneToEmptyManager`` is left out: the adapter never filters on ``course_id=None``);
- common/djangoapps/student/models/course_enrollment.py (at commit 0b870c13): ``CourseEnrollment``,
  whose ``course`` is a foreign key to ``CourseOverview`` (openedx/core/djangoapps/content/
  course_overviews/models.py: a ``CourseKeyField`` primary key) without a database constraint;
- openedx/core/djangoapps/course_groups/models.py (at commit 5a5c1119): ``CourseUserGroup``
  (its ``users`` many-to-many is left out) and ``CohortMembership``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField


class CourseOverview(models.Model):
    """course_overviews/models.py: only the primary key, the course's key."""

    id = CourseKeyField(db_index=True, primary_key=True, max_length=255)

    class Meta:
        db_table = "course_overviews_courseoverview"


class UserProfile(models.Model):
    """student/models/user.py: ``user.profile``; ``name`` is the full name (blank allowed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, unique=True, db_index=True, related_name="profile", on_delete=models.CASCADE
    )
    name = models.CharField(blank=True, max_length=255, db_index=True)

    class Meta:
        db_table = "auth_userprofile"


class CourseEnrollment(models.Model):
    """student/models/course_enrollment.py: one row per user and course; ``is_active`` False is unenrolled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course = models.ForeignKey(CourseOverview, db_constraint=False, on_delete=models.DO_NOTHING)
    created = models.DateTimeField(auto_now_add=True, null=True, db_index=True)
    is_active = models.BooleanField(default=True)
    mode = models.CharField(default="audit", max_length=100)  # CourseMode.get_default_mode_slug

    class Meta:
        db_table = "student_courseenrollment"
        unique_together = (("user", "course"),)
        ordering = ("user", "course")


class CourseAccessRole(models.Model):
    """student/models/user.py: a role in a course, or org-wide with a blank ``course_id`` (``CourseKeyField.Empty``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    org = models.CharField(max_length=64, db_index=True, blank=True)
    course_id = CourseKeyField(db_index=True, blank=True)
    role = models.CharField(max_length=64, db_index=True)

    class Meta:
        db_table = "student_courseaccessrole"
        unique_together = ("user", "org", "course_id", "role")


class CourseUserGroup(models.Model):
    """course_groups/models.py: a cohort is a group of type ``cohort``; its id is the cohort's id."""

    COHORT = "cohort"

    name = models.CharField(max_length=255)
    course_id = CourseKeyField(max_length=255, db_index=True)
    group_type = models.CharField(max_length=20, choices=((COHORT, "Cohort"),))

    class Meta:
        db_table = "course_groups_courseusergroup"
        unique_together = (("name", "course_id"),)


class CohortMembership(models.Model):
    """course_groups/models.py: a learner's one cohort in a course."""

    course_user_group = models.ForeignKey(CourseUserGroup, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    course_id = CourseKeyField(max_length=255)

    class Meta:
        db_table = "course_groups_cohortmembership"
        unique_together = (("user", "course_id"),)
