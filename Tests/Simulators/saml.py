"""Builds SAML 2.0 Responses like the ones IdPs post to the AWS sign-in page."""
import base64
import datetime
import html
import uuid

SIGNIN = {
    "aws": "https://signin.aws.amazon.com/saml",
    "aws-cn": "https://signin.amazonaws.cn/saml",
    "aws-us-gov": "https://signin.amazonaws-us-gov.com/saml",
}


def _iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def response_xml(issuer, subject, roles, session_duration=None, partition="aws", encrypted=False,
                 role_session_name=None, status="urn:oasis:names:tc:SAML:2.0:status:Success"):
    """roles: list of (role_arn, provider_arn) pairs, or raw strings used as they are."""
    now = datetime.datetime.now(datetime.timezone.utc)
    later = now + datetime.timedelta(minutes=5)
    destination = SIGNIN[partition]
    values = []
    for r in roles:
        text = r if isinstance(r, str) else f"{r[0]},{r[1]}"
        values.append(f'<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                      f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">{html.escape(text)}</saml:AttributeValue>')
    attributes = [
        f'<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">'
        f'<saml:AttributeValue>{html.escape(role_session_name or subject)}</saml:AttributeValue></saml:Attribute>',
        f'<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">'
        + "".join(values) + "</saml:Attribute>",
    ]
    if session_duration is not None:
        attributes.append(
            f'<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">'
            f"<saml:AttributeValue>{int(session_duration)}</saml:AttributeValue></saml:Attribute>")
    rid, aid = "ID_" + uuid.uuid4().hex, "ID_" + uuid.uuid4().hex
    if encrypted:
        assertion = ('<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">'
                     "<xenc:CipherData><xenc:CipherValue>b3BhcXVl</xenc:CipherValue></xenc:CipherData>"
                     "</xenc:EncryptedData></saml:EncryptedAssertion>")
    else:
        assertion = (
            f'<saml:Assertion ID="{aid}" IssueInstant="{_iso(now)}" Version="2.0">'
            f"<saml:Issuer>{html.escape(issuer)}</saml:Issuer>"
            f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{html.escape(subject)}</saml:NameID>'
            f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_iso(later)}" Recipient="{destination}"/></saml:SubjectConfirmation></saml:Subject>'
            f'<saml:Conditions NotBefore="{_iso(now)}" NotOnOrAfter="{_iso(later)}">'
            f"<saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_iso(now)}" SessionIndex="{aid}">'
            f"<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f'<saml:AttributeStatement>{"".join(attributes)}</saml:AttributeStatement>'
            "</saml:Assertion>")
    return (
        f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'Destination="{destination}" ID="{rid}" IssueInstant="{_iso(now)}" Version="2.0">'
        f"<saml:Issuer>{html.escape(issuer)}</saml:Issuer>"
        f'<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>'
        f"{assertion}</samlp:Response>")


def encode(xml):
    return base64.b64encode(xml.encode()).decode()


def post_form(saml_response, partition="aws", relay_state=""):
    """The auto-submitting page an IdP answers with at the end of a login."""
    action = SIGNIN[partition]
    return (
        '<!DOCTYPE html>\n<html><head><title>Redirecting...</title></head>'
        '<body onload="document.forms[0].submit()">'
        '<noscript><p><strong>Note:</strong> Since your browser does not support JavaScript, you must press the Continue button once to proceed.</p></noscript>'
        f'<form name="saml-post-binding" method="post" action="{action}">'
        f'<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}"/>'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}"/>'
        '<noscript><input type="submit" value="Continue"/></noscript></form></body></html>')


def totp(secret: bytes, at=None, step=30, digits=6):
    """RFC 6238 TOTP (HMAC-SHA1), as authenticator apps compute it."""
    import hmac, hashlib, struct, time
    counter = int((at if at is not None else time.time()) // step)
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)
