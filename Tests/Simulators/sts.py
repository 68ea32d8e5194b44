"""An STS front for tests: forwards every request to moto's server, except the faults a
test asks for, which it answers as real STS does (ErrorResponse XML, status codes).
It also enforces a role's MaxSessionDuration, which moto does not.

  POST /_sim/faults   {"faults": [{"status": 400, "code": "Throttling", "message": "...", "times": 1}, ...]}
  POST /_sim/config   {"max_duration": 3600}
  GET  /_sim/calls    the AssumeRoleWithSAML calls seen (DurationSeconds, RoleArn)
  {"date_offset": S} in /_sim/config makes the Date header S seconds off (a skewed clock);
  {"date_header": TEXT} sends TEXT as the Date header.
  {"ttl": S} makes the credentials it hands out expire S seconds after they are issued (moto
  never shortens them below what was asked), and, as real AWS does, every later request
  signed with credentials that have expired gets 400 ExpiredToken instead of reaching moto.
  A request signed with credentials it issued must carry a right SigV4 signature (checked
  with botocore's signer, as AWS would): otherwise 403 SignatureDoesNotMatch. moto checks none.
  POST /saml is the AWS SAML sign-in page a browser gets after the IdP posts the SAMLResponse:
  a heading per account ("Account: NAME (ID)", or "Account: ID" without a name) and a radio per
  role. {"account_names": {ID: NAME}} names accounts; {"signin_page": "changed"} serves a page
  without those headings, "error" a 500. /_sim/calls counts the posts ("signin_posts")."""
import base64
import datetime
import html
import http.server
import re
import time
import xml.etree.ElementTree as ET
import urllib.error
import urllib.parse
import urllib.request
import uuid

from flask import Flask, Response, request


def error_xml(code, message, kind="Sender"):
    return (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>{kind}</Type>\n'
            f'    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n'
            f'  <RequestId>{uuid.uuid4()}</RequestId>\n</ErrorResponse>\n')


SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"


def only_the_asked_role(form):
    """Real STS assumes the RoleArn it is given, provided the assertion offers it (with that
    PrincipalArn); moto reads the first role of the assertion and breaks on several. The
    front checks the offer as STS does and hands moto an assertion with that one role.
    Returns the new SAMLAssertion, or None when the role is not offered."""
    try:
        root = ET.fromstring(base64.b64decode(form.get("SAMLAssertion", "")))
    except (ValueError, ET.ParseError):
        return form.get("SAMLAssertion", "")
    wanted = {form.get("RoleArn"), form.get("PrincipalArn")}
    for attribute in root.iter(f"{{{SAML}}}Attribute"):
        if attribute.get("Name") != ROLE_ATTRIBUTE:
            continue
        values = attribute.findall(f"{{{SAML}}}AttributeValue")
        match = next((v for v in values if set(p.strip() for p in (v.text or "").split(",")) == wanted), None)
        if match is None:
            return None
        for v in values:
            if v is not match:
                attribute.remove(v)
    return base64.b64encode(ET.tostring(root)).decode()


def create_app(moto_url):
    app = Flask("sts-sim")
    state = {"faults": [], "max_duration": None, "calls": [], "date_offset": 0, "date_header": None, "ttl": None,
             "issued": {}, "expired_refusals": 0, "account_names": {}, "signin_page": "current", "signin_posts": 0}
    # The Date header comes from the HTTP server layer: shift it there.
    plain = http.server.BaseHTTPRequestHandler.date_time_string
    http.server.BaseHTTPRequestHandler.date_time_string = \
        lambda self, timestamp=None: state["date_header"] or plain(self, (timestamp or time.time()) + state["date_offset"])

    @app.post("/_sim/faults")
    def faults():
        state["faults"] = list(request.get_json(force=True).get("faults", []))
        return {"ok": True}

    @app.post("/_sim/config")
    def config():
        body = request.get_json(force=True)
        state["max_duration"] = body.get("max_duration")
        state["date_offset"] = body.get("date_offset", 0)
        state["date_header"] = body.get("date_header")   # a raw Date header (a hostile one)
        state["ttl"] = body.get("ttl")
        state["expired_refusals"] = 0
        state["account_names"] = body.get("account_names", {})
        state["signin_page"] = body.get("signin_page", "current")
        state["signin_posts"] = 0
        state["console_logins"] = []
        state["calls"].clear()
        state["faults"] = []
        return {"ok": True}

    @app.get("/_sim/calls")
    def calls():
        return {"calls": state["calls"], "expired_refusals": state["expired_refusals"], "signin_posts": state["signin_posts"],
                "console_logins": state.get("console_logins", [])}

    @app.post("/saml")
    def signin_page():
        state["signin_posts"] += 1
        if state["signin_page"] == "error":
            return Response("<html><body>Internal error</body></html>", status=500, content_type="text/html")
        encoded = request.form.get("SAMLResponse", "")
        try:
            root = ET.fromstring(base64.b64decode(encoded))
        except (ValueError, ET.ParseError):
            return Response("<html><body>Your request included an invalid SAML response.</body></html>", status=400,
                            content_type="text/html")
        accounts = {}
        for value in root.iter(f"{{{SAML}}}AttributeValue"):
            role = next((p.strip() for p in (value.text or "").split(",") if ":role/" in p), None)
            if role:
                accounts.setdefault(role.split(":")[4], []).append(role)
        heading = "saml-account-name" if state["signin_page"] != "changed" else "account-title"
        blocks = []
        for index, (account, roles) in enumerate(sorted(accounts.items())):
            name = state["account_names"].get(account)
            label = f"Account: {name} ({account})" if name else f"Account: {account}"
            radios = "".join(
                f'<div class="saml-role" onClick="checkRadio(this);"><input type="radio" name="roleIndex" '
                f'value="{html.escape(r)}" class="saml-radio" id="{html.escape(r)}" />'
                f'<label for="{html.escape(r)}" class="saml-role-description">{html.escape(r.split("/")[-1])}</label>'
                f'<span style="clear: both;"></span></div>' for r in roles)
            blocks.append(f'<div class="saml-account"><div onClick="expandCollapse({index});">'
                          f'<img id="image{index}" src="/static/image/down.png" valign="middle"></img>'
                          f'<div class="{heading}">{html.escape(label)}</div></div><hr style="border: 1px solid #ddd;">'
                          f'<div id="{index}" class="saml-account">{radios}</div></div>')
        page = ('<!DOCTYPE html><html><head><title>Amazon Web Services Sign-In</title></head><body>'
                '<form id="saml_form" name="saml_form" action="/saml" method="post">'
                f'<input type="hidden" name="SAMLResponse" value="{html.escape(encoded)}" />'
                '<p style="font-size: 16px; padding-left: 20px;">Select a role:</p>'
                f'<fieldset>{"".join(blocks)}</fieldset>'
                '<input id="signin_button" type="submit" value="Sign In"></form></body></html>')
        return Response(page, content_type="text/html")

    def remember_issued(body):
        """Shortens the credentials in a 200 answer to ttl and records when each key expires."""
        text = body.decode("utf-8", "replace")
        key = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>", text)
        if not key:
            return body
        if state["ttl"]:
            expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["ttl"])
            text = re.sub(r"<Expiration>[^<]*</Expiration>",
                          "<Expiration>" + expiry.strftime("%Y-%m-%dT%H:%M:%SZ") + "</Expiration>", text)
        stamp = re.search(r"<Expiration>([^<]+)</Expiration>", text)
        secret = re.search(r"<SecretAccessKey>([^<]+)</SecretAccessKey>", text)
        if stamp and secret:
            when = datetime.datetime.fromisoformat(stamp.group(1).replace("Z", "+00:00"))
            state["issued"][key.group(1)] = (when.timestamp(), secret.group(1))
        return text.encode()

    def signature_is_wrong(raw):
        """Recomputes a SigV4 signature by credentials this front issued; True when it differs."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        match = re.search(r"Credential=([A-Z0-9]+)/\d{8}/([^/]+)/([^/]+)/aws4_request, *SignedHeaders=([^,]+), *Signature=([0-9a-f]+)",
                          request.headers.get("Authorization", ""))
        if not match or match.group(1) not in state["issued"]:
            return False
        key, region, service, signed, given = match.groups()
        headers = {name: request.headers.get(name, "") for name in signed.split(";") if name != "host"}
        aws = AWSRequest(method=request.method, url=f"http://{request.headers.get('Host')}{request.full_path.rstrip('?')}",
                         data=raw, headers=headers)
        aws.context["timestamp"] = request.headers.get("X-Amz-Date", "")
        signer = SigV4Auth(Credentials(key, state["issued"][key][1], request.headers.get("X-Amz-Security-Token")), service, region)
        canonical = signer.canonical_request(aws)
        return signer.signature(signer.string_to_sign(aws, canonical), aws) != given

    def expired_key(headers):
        """The access key a SigV4 request is signed with, when STS issued it and it has expired."""
        match = re.search(r"Credential=([A-Z0-9]+)/", headers.get("Authorization", ""))
        if match and match.group(1) in state["issued"] and state["issued"][match.group(1)][0] <= time.time():
            return match.group(1)
        return None

    @app.get("/federation")
    def federation():
        """The AWS federation endpoint: getSigninToken for known session credentials, then login."""
        import json as _json
        action = request.args.get("Action")
        if action == "getSigninToken":
            try:
                session = _json.loads(request.args.get("Session", ""))
            except ValueError:
                return Response("bad Session", status=400)
            if set(session) != {"sessionId", "sessionKey", "sessionToken"} or not session["sessionId"].startswith("ASIA"):
                return Response("bad Session", status=400)
            token = "signin-" + uuid.uuid4().hex
            state.setdefault("tokens", {})[token] = session["sessionId"]
            return {"SigninToken": token}
        if action == "login":
            if request.args.get("SigninToken") not in state.get("tokens", {}):
                return Response("expired token", status=400)
            state.setdefault("console_logins", []).append(state["tokens"][request.args["SigninToken"]])
            return Response("", status=302, headers={"Location": request.args.get("Destination", "/")})
        return Response("bad Action", status=400)

    @app.route("/", methods=["GET", "POST"])
    def root():
        raw = request.get_data()
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace")).items()}
        if form.get("Action") == "AssumeRoleWithSAML":
            state["calls"].append({"DurationSeconds": form.get("DurationSeconds"), "RoleArn": form.get("RoleArn"),
                                   "PrincipalArn": form.get("PrincipalArn")})
            if state["faults"]:
                fault = state["faults"][0]
                fault["times"] = fault.get("times", 1) - 1
                if fault["times"] <= 0:
                    state["faults"].pop(0)
                if fault.get("body") is not None:
                    return Response(fault["body"], status=fault.get("status", 200), content_type="text/xml")
                if "code" in fault:
                    kind = "Receiver" if fault.get("status", 400) >= 500 else "Sender"
                    return Response(error_xml(fault["code"], fault.get("message", fault["code"]), kind),
                                    status=fault.get("status", 400), content_type="text/xml")
                return Response("upstream trouble", status=fault.get("status", 500))
            narrowed = only_the_asked_role(form)
            if narrowed is None:
                return Response(error_xml("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML"),
                                status=403, content_type="text/xml")
            if narrowed != form.get("SAMLAssertion"):
                form["SAMLAssertion"] = narrowed
                raw = urllib.parse.urlencode(form).encode()
            if state["max_duration"] and int(form.get("DurationSeconds", "3600")) > state["max_duration"]:
                return Response(error_xml("ValidationError",
                                          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
                                status=400, content_type="text/xml")
        if form.get("Action") != "AssumeRoleWithSAML" and expired_key(request.headers):
            state["expired_refusals"] += 1
            return Response(error_xml("ExpiredToken", "The security token included in the request is expired"),
                            status=400, content_type="text/xml")
        if signature_is_wrong(raw):
            return Response(error_xml("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."),
                            status=403, content_type="text/xml")
        if form.get("Action") == "AssumeRole":
            state["calls"].append({"Action": "AssumeRole", "RoleArn": form.get("RoleArn"), "RoleSessionName": form.get("RoleSessionName"),
                                   "ExternalId": form.get("ExternalId"), "DurationSeconds": form.get("DurationSeconds"),
                                   "SignedBy": re.search(r"Credential=([A-Z0-9]+)/", request.headers.get("Authorization", "") + "Credential=/").group(1)})
        issues_credentials = form.get("Action") in ("AssumeRoleWithSAML", "AssumeRole")
        upstream = urllib.request.Request(moto_url + request.full_path.rstrip("?"), data=raw or None,
                                          method=request.method,
                                          headers={k: v for k, v in request.headers.items()
                                                   if k.lower() in ("content-type", "authorization", "x-amz-date", "x-amz-security-token", "user-agent")})
        try:
            with urllib.request.urlopen(upstream, timeout=30) as r:
                body = r.read()
                if issues_credentials and r.status == 200:
                    body = remember_issued(body)
                return Response(body, status=r.status, content_type=r.headers.get("Content-Type"))
        except urllib.error.HTTPError as e:
            return Response(e.read(), status=e.code, content_type=e.headers.get("Content-Type"))

    return app
