"""Quarantined bodies as bytes (a refused body may hold NUL or invalid UTF-8).

On PostgreSQL the kept text is converted with convert_to: a plain text::bytea cast would
read the backslashes of JSON escapes as bytea escapes and fail.
"""

from django.db import migrations, models


def _to_bytes(apps, schema_editor):
    model = apps.get_model("sync", "QuarantinedMessage")
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN body TYPE bytea USING convert_to(body, 'UTF8')"
        )
        return
    old = model._meta.get_field("body")
    new = models.BinaryField(verbose_name="报文(截断)")
    new.set_attributes_from_name("body")
    schema_editor.alter_field(model, old, new)


class Migration(migrations.Migration):
    dependencies = [
        ("sync", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="quarantinedmessage",
                    name="body",
                    field=models.BinaryField(verbose_name="报文(截断)"),
                ),
            ],
            database_operations=[migrations.RunPython(_to_bytes, migrations.RunPython.noop)],
        ),
    ]
