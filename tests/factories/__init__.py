"""factory-boy factories: small, focused fixtures instead of the whole demo.

One module per app; every factory is re-exported here, so tests write
`from tests.factories import FamilyFactory` or `factories.FamilyFactory`.
"""

from .cms import ContactPageFactory, ImageFactory, PageFactory, StandardPageFactory
from .documents_library import (
    DocumentCategoryFactory,
    DocumentsLibraryPageFactory,
    LibraryDocumentFactory,
)
from .news import NewsCategoryFactory, NewsIndexPageFactory, NewsPageFactory
from .portal_features import (
    PASSWORD,
    AuthorizedPersonFactory,
    ChildFactory,
    ConsentTypeFactory,
    DocumentTypeFactory,
    FamilyFactory,
    GuardianFactory,
    HealthRecordFactory,
    PortalPageFactory,
    SignupRequestFactory,
    SupportingDocumentFactory,
    UserFactory,
    signup_request_data,
)
from .reservations import (
    ActivityFactory,
    EnrolmentFactory,
    FacilityFactory,
    GroupFactory,
    RegistrationFactory,
    SchoolYearFactory,
    UnitFactory,
)

__all__ = [
    "PASSWORD",
    "ActivityFactory",
    "AuthorizedPersonFactory",
    "ChildFactory",
    "ConsentTypeFactory",
    "ContactPageFactory",
    "DocumentCategoryFactory",
    "DocumentTypeFactory",
    "DocumentsLibraryPageFactory",
    "EnrolmentFactory",
    "FacilityFactory",
    "FamilyFactory",
    "GroupFactory",
    "GuardianFactory",
    "HealthRecordFactory",
    "ImageFactory",
    "LibraryDocumentFactory",
    "NewsCategoryFactory",
    "NewsIndexPageFactory",
    "NewsPageFactory",
    "PageFactory",
    "PortalPageFactory",
    "RegistrationFactory",
    "SchoolYearFactory",
    "SignupRequestFactory",
    "StandardPageFactory",
    "SupportingDocumentFactory",
    "UnitFactory",
    "UserFactory",
    "signup_request_data",
]
