from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_protect_all_audit_tables")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("read", "Viewed"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                    ("import", "Imported"),
                    ("login", "Logged in"),
                    ("login_failed", "Failed login"),
                    ("logout", "Logged out"),
                    ("break_glass", "Break the glass"),
                    ("consent", "Consent"),
                    ("retention", "Retention"),
                    ("lookup", "Looked up"),
                    ("account", "Account changed"),
                    ("email", "E-mail sent"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
    ]
