from django.db import migrations, models

from trappen.catalogue.loading import load_interventions, load_steps

# F8 point 9: the row keeps its episodes; only its name changes (the loader matches by name).
RENAMED = {"Efterværn – støtte i egen bolig": "Støtte til unge i egen bolig"}


def forwards(apps, schema_editor):
    step = apps.get_model("catalogue", "Step")
    intervention = apps.get_model("catalogue", "Intervention")
    for old, new in RENAMED.items():
        if not intervention.objects.filter(name=new).exists():
            intervention.objects.filter(name=old).update(name=new)
    load_steps(step)
    load_interventions(step, intervention)


class Migration(migrations.Migration):
    """Classification fixes with their source: a boarding school can be a home-based
    placement, Toften is a residential institution (a socio-pedagogical residence is its own
    offer), and "Støtte til unge i egen bolig" is a supporting measure as the seed words it."""

    dependencies = [("catalogue", "0006_reload_catalogue")]
    operations = [
        migrations.AddField(
            model_name="intervention",
            name="classification_source",
            field=models.TextField(blank=True, verbose_name="source of the classification"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
