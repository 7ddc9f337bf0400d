# The memo keeps the number of its latest document version, so a step asks for the next one
# without reading the versions (issue 11). Filled from the versions already stored.

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Memo = apps.get_model("memos", "Memo")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    latest = (
        DocumentVersion.objects.filter(memo=OuterRef("pk"), kind="memo")
        .order_by()
        .values("memo")
        .annotate(top=Max("version"))
        .values("top")
    )
    Memo.objects.update(last_document_version=Coalesce(Subquery(latest[:1]), 0))


class Migration(migrations.Migration):

    dependencies = [
        ("memos", "0008_audit_append_only"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="memo",
            name="last_document_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
