# The doubles of the platform's tables (models.py); a migration, so that MariaDB creates them after auth_user.

import django.db.models.deletion
import opaque_keys.edx.django.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CourseOverview",
            fields=[
                (
                    "id",
                    opaque_keys.edx.django.models.CourseKeyField(
                        db_index=True, max_length=255, primary_key=True, serialize=False
                    ),
                ),
            ],
            options={
                "db_table": "course_overviews_courseoverview",
            },
        ),
        migrations.CreateModel(
            name="CourseUserGroup",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=255)),
                ("course_id", opaque_keys.edx.django.models.CourseKeyField(db_index=True, max_length=255)),
                ("group_type", models.CharField(choices=[("cohort", "Cohort")], max_length=20)),
            ],
            options={
                "db_table": "course_groups_courseusergroup",
                "unique_together": {("name", "course_id")},
            },
        ),
        migrations.CreateModel(
            name="UserProfile",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(blank=True, db_index=True, max_length=255)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="profile", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "db_table": "auth_userprofile",
            },
        ),
        migrations.CreateModel(
            name="CourseAccessRole",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("org", models.CharField(blank=True, db_index=True, max_length=64)),
                ("course_id", opaque_keys.edx.django.models.CourseKeyField(blank=True, db_index=True, max_length=255)),
                ("role", models.CharField(db_index=True, max_length=64)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "db_table": "student_courseaccessrole",
                "unique_together": {("user", "org", "course_id", "role")},
            },
        ),
        migrations.CreateModel(
            name="CourseEnrollment",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created", models.DateTimeField(auto_now_add=True, db_index=True, null=True)),
                ("is_active", models.BooleanField(default=True)),
                ("mode", models.CharField(default="audit", max_length=100)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                (
                    "course",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="openedx_platform_doubles.courseoverview",
                    ),
                ),
            ],
            options={
                "db_table": "student_courseenrollment",
                "ordering": ("user", "course"),
                "unique_together": {("user", "course")},
            },
        ),
        migrations.CreateModel(
            name="CohortMembership",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("course_id", opaque_keys.edx.django.models.CourseKeyField(max_length=255)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                (
                    "course_user_group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="openedx_platform_doubles.courseusergroup"
                    ),
                ),
            ],
            options={
                "db_table": "course_groups_cohortmembership",
                "unique_together": {("user", "course_id")},
            },
        ),
    ]
