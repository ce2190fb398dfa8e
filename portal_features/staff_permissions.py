"""What the Enfance staff group may do in the portal's staff screens (granted in apps.py)."""

ENFANCE_PERMISSIONS = [
    # Messages: read and answer families' conversations; manage services and themes.
    "portal_features.view_thread",
    "portal_features.change_thread",
    "portal_features.view_service",
    "portal_features.add_service",
    "portal_features.change_service",
    "portal_features.view_theme",
    "portal_features.add_theme",
    "portal_features.change_theme",
    "portal_features.view_signuprequest",
    "portal_features.change_signuprequest",
    "portal_features.view_changerequest",
    "portal_features.change_changerequest",
    # Families' files: read and edit families, guardians and children; manage consent types.
    "portal_features.view_family",
    "portal_features.change_family",
    "portal_features.view_guardian",
    "portal_features.change_guardian",
    "portal_features.view_child",
    "portal_features.change_child",
    "portal_features.view_consenttype",
    "portal_features.add_consenttype",
    "portal_features.change_consenttype",
    "portal_features.delete_consenttype",
    # Supporting documents: check, validate or refuse them; manage the document types.
    "portal_features.view_supportingdocument",
    "portal_features.change_supportingdocument",
    "portal_features.view_documenttype",
    "portal_features.add_documenttype",
    "portal_features.change_documenttype",
    "portal_features.delete_documenttype",
    # The quotient familial: read a family's records, record a new one.
    "portal_features.view_quotientrecord",
    "portal_features.add_quotientrecord",
]
