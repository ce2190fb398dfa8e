"""The fictional commune of the demo: its identity, reused by pages, images and PDFs."""

NAME = "Ville de Montrivel-sur-Loire"
SHORT_NAME = "Montrivel-sur-Loire"
ADDRESS = "Hôtel de ville\n1, place de la Mairie\n45999 Montrivel-sur-Loire"
# The 01 99 00 range is reserved by the French regulator for fiction.
PHONE = "01 99 00 12 34"
# The .example top-level domain is reserved: no real mailbox can receive demo e-mails.
EMAIL = "enfance@montrivel.example"
OPENING_HOURS = "Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h 30\nLe samedi : 9 h – 12 h"
PORTAL_URL = "/portail/"
DEMO_URL = "http://127.0.0.1:8000/"
ADMIN_URL = "http://127.0.0.1:8000/admin/"
