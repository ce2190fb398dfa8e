"""Run daily (cron, systemd timer): tell families once that a document ends within 30 days."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal_features.documents.services import supporting_documents_notify_expiring


class Command(BaseCommand):
    help = "Alert families whose validated supporting documents expire within 30 days."

    def handle(self, *args, **options):
        told = supporting_documents_notify_expiring(today=timezone.localdate())
        self.stdout.write(f"{told} document(s) notified.")
