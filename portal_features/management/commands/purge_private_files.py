"""Run daily (cron, systemd timer): delete the private files kept only for a while.

- refused supporting documents, REFUSED_DOCUMENT_FILE_DAYS (30) days after the refusal: the
  file goes, the document's row and the family's history stay;
- data exports whose link ended (DATA_EXPORT_LINK_HOURS, 24 h): the archive goes; exports no
  worker finished within hours are given up, so the family may ask again.
"""

from django.core.management.base import BaseCommand

from portal_features.documents.services import supporting_documents_purge_refused
from portal_features.rgpd.services import data_exports_purge


class Command(BaseCommand):
    help = "Delete refused documents' files after their grace period, and expired data exports."

    def handle(self, *args, **options):
        documents = supporting_documents_purge_refused()
        exports = data_exports_purge()
        self.stdout.write(
            f"{documents} refused document file(s) deleted, {exports} data export(s) closed."
        )
