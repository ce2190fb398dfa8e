"""PayFiP's SOAP answers, as the DGFiP's service sends them, for `responses` to play back."""

from lxml import etree

SERVICE_URL = "https://www.payfip.gouv.fr/tpa/services/securite"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
FAULT = "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"


def _envelope(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<S:Body>{body}</S:Body></S:Envelope>"
    )


def created(idop: str) -> str:
    return _envelope(
        f'<ns2:creerPaiementSecuriseResponse xmlns:ns2="{SERVICE_NS}">'
        f"<return><idOp>{idop}</idOp></return></ns2:creerPaiementSecuriseResponse>"
    )


def detail(**fields: str) -> str:
    order = "dattrans exer heurtrans idOp mel montant numauto numcli objet refdet resultrans saisie"
    inner = "".join(f"<{name}>{fields[name]}</{name}>" for name in order.split() if name in fields)
    return _envelope(
        f'<ns2:recupererDetailPaiementSecuriseResponse xmlns:ns2="{SERVICE_NS}">'
        f"<return>{inner}</return></ns2:recupererDetailPaiementSecuriseResponse>"
    )


def fault(code: str, text: str) -> str:
    return _envelope(
        "<S:Fault><faultcode>S:Server</faultcode>"
        f"<faultstring>{FAULT}</faultstring>"
        f'<detail><ns2:FonctionnelleErreur xmlns:ns2="{SERVICE_NS}">'
        f"<code>{code}</code><descriptif>{text}</descriptif><libelle>{text}</libelle>"
        "<severite>2</severite></ns2:FonctionnelleErreur></detail></S:Fault>"
    )


def sent_fields(body: bytes, operation: str) -> dict[str, str]:
    """The fields of the `arg0` our client sent in one SOAP request."""
    root = etree.fromstring(body)
    (arg0,) = root.xpath(f"//*[local-name()='{operation}']/arg0")
    return {etree.QName(child).localname: child.text or "" for child in arg0}
