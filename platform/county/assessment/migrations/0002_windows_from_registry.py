"""The county hall's windows and their staff enter the assessed list once (issue 22); from
now on the receivers keep them in step when a window or a person is saved."""

from django.db import migrations

from sites.registry.tier import here


def copy(apps, schema_editor):
    if not here().keeps_read_model:
        return
    Window = apps.get_model("registry", "Window")
    Staff = apps.get_model("registry", "Staff")
    AssessedWindow = apps.get_model("assessment", "AssessedWindow")
    AssessedStaff = apps.get_model("assessment", "AssessedStaff")
    for w in Window.objects.select_related("site", "department"):
        ref, _ = AssessedWindow.objects.get_or_create(
            site_code=w.site.code,
            number=w.number,
            defaults={
                "name": w.name,
                "site_name": w.site.name,
                "department_code": w.department.code,
                "department_name": w.department.name,
            },
        )
        for s in Staff.objects.filter(window=w).select_related("user"):
            AssessedStaff.objects.get_or_create(
                site_code=w.site.code,
                username=s.user.username,
                defaults={"name": s.name, "window": ref},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
