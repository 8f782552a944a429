"""The demo's stand-ins for the platform's cohorts and users."""

from django.db import models


class DemoCohort(models.Model):
    """A cohort of the demo course.

    .. no_pii:
    """

    slug = models.SlugField(primary_key=True)
    name = models.CharField(max_length=255)

    def __str__(self):
        return self.name


class DemoPerson(models.Model):
    """A seeded demo user: their display name, role, cohort and language.

    .. no_pii: demo data only.
    """

    username = models.CharField(max_length=150, unique=True)
    display_name = models.CharField(max_length=255)
    is_staff = models.BooleanField(default=False)
    cohort = models.ForeignKey(DemoCohort, null=True, blank=True, on_delete=models.SET_NULL)
    # Their language for emails, as the LMS's language preference ("es-419"); "" for the site's.
    language = models.CharField(max_length=16, blank=True)

    def __str__(self):
        return self.username
