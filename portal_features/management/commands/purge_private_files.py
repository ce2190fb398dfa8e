"""Run daily (cron, systemd timer): delete the private files kept only for a while.

- refused supporting documents, REFUSED_DOCUMENT_FILE_DAYS (30) days after the refusal: the
  file goes, the document's row and the family's history stay;
- data exports whose link ended (DATA_EXPORT_LINK_HOURS, 24 h): the archive goes; exports no
  worker finished within hours are given up, so the family may ask again;
- account requests that made no family: refused ones SIGNUP_REFUSED_KEEP_DAYS (90) days after
  the refusal, undecided ones SIGNUP_PENDING_KEEP_DAYS (183) days after they were sent, with
  the documents sent with them (rows and files). Accepted requests' documents are the
  family's and stay.
"""

from django.core.management.base import BaseCommand

from portal_features.documents.services import supporting_documents_purge_refused
from portal_features.rgpd.services import data_exports_purge
from portal_features.signup.retention import signup_requests_purge


class Command(BaseCommand):
    help = (
        "Delete refused documents' files after their grace period, expired data exports, and "
        "account requests refused or never decided, with their documents."
    )

    def handle(self, *args, **options):
        documents = supporting_documents_purge_refused()
        exports = data_exports_purge()
        requests = signup_requests_purge()
        self.stdout.write(
            f"{documents} refused document file(s) deleted, {exports} data export(s) closed, "
            f"{requests} account request(s) refused or never decided deleted."
        )
