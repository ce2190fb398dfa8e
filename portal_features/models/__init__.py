from .audit import FamilyEvent
from .documents import DocumentType, SupportingDocument
from .exports import DataExport
from .families import Child, ChildMembership, Custody, Family, Guardian, child_link, family_link
from .health import AuthorizedPerson, Consent, ConsentType, HealthRecord, Vaccination
from .messages import Message, MessageAttachment, Service, Theme, Thread
from .notifications import Link, Notification
from .portal_page import PortalPage
from .quotients import QuotientRecord
from .requests import ChangeRequest, ChangeRequestAttachment, SignupAttachment, SignupRequest
from .users import User

__all__ = [
    "AuthorizedPerson",
    "ChangeRequest",
    "ChangeRequestAttachment",
    "Child",
    "ChildMembership",
    "Consent",
    "ConsentType",
    "Custody",
    "DataExport",
    "DocumentType",
    "Family",
    "FamilyEvent",
    "Guardian",
    "HealthRecord",
    "Message",
    "MessageAttachment",
    "Link",
    "Notification",
    "PortalPage",
    "QuotientRecord",
    "Service",
    "SignupAttachment",
    "SignupRequest",
    "SupportingDocument",
    "Theme",
    "Thread",
    "User",
    "Vaccination",
    "child_link",
    "family_link",
]
