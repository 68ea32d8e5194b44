"""An AD FS simulator, written from Microsoft's documented page shapes: the IdP-initiated
sign-on URL, the forms page (form#loginForm: UserName, Password, AuthMethod=FormsAuthentication,
#errorText), the additional-authentication pages (form#options with one element per method
calling Options.selectOption; RSA SecurID's Passcode; the Azure MFA adapter's
VerificationCode; Duo's iframe), and the SAMLResponse page (form name=hiddenform posted by
script to https://signin.aws.amazon.com:443/saml).

  GET  /adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices
  POST /adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=...     the forms and method pages
Windows Integrated Authentication is served by Tests/Simulators/negotiate_front.py (Debian's
python3-gssapi against a real MIT KDC) in front of this simulator: the front checks the
SPNEGO token and passes the request on with X-Remote-User, which this simulator trusts only
from the front's address (loopback, and only with "wia_header" configured)."""
import html
import secrets as rnd
import time

from flask import Flask, Response, request

import saml
from control import add_control_routes

RP = "urn:amazon:webservices"


def default_config():
    # second_factor per user: None, "securid", "azure-code", "duo", or a list for the options page.
    return {"users": {}, "roles": [], "partition": "aws", "wia_header": False}


PAGE = ('<!DOCTYPE html><html lang="en-US"><head><meta http-equiv="X-UA-Compatible" content="IE=edge"/>'
        '<title>Sign In</title></head><body dir="ltr" class="body"><div id="fullPage"><div id="contentWrapper"'
        ' class="float"><div id="content"><div id="header"><img class="logoImage" src="/adfs/portal/logo/logo.png"'
        ' alt="ACME"/></div><main><div id="workArea">{body}</div></main></div></div></div></body></html>')

METHODS = {"securid": "SecurIDAuthentication", "azure-code": "AzureMfaAuthentication", "duo": "DuoAdfsAdapter"}
LABELS = {"securid": "RSA SecurID", "azure-code": "Azure Multi-Factor Authentication", "duo": "Duo Security"}


def create_app():
    app = Flask("adfs-sim")
    state = {"config": default_config(), "contexts": {}, "sessions": {},
             "stats": {"forms_posts": 0, "code_posts": 0, "wia_logins": 0, "saml_issued": 0}}

    def cfg():
        return state["config"]

    def action():
        return f"/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp={RP}&client-request-id={rnd.token_hex(8)}"

    def render(body):
        return Response(PAGE.format(body=body), content_type="text/html; charset=utf-8")

    def forms_page(username="", error=""):
        err = (f'<div id="error" class="fieldMargin error smallText"><span id="errorText" for="" aria-live="assertive"'
               f' role="alert">{html.escape(error)}</span></div>') if error else '<div id="error" class="fieldMargin error smallText"><span id="errorText" for=""></span></div>'
        return render(
            '<div id="loginMessage" class="groupMargin">Sign in with your organizational account</div>'
            f'<form method="post" id="loginForm" autocomplete="off" novalidate="novalidate"'
            f' onKeyPress="if (event && event.keyCode == 13) Login.submitLoginRequest();" action="{action()}">'
            f'<div id="formsAuthenticationArea"><div id="userNameArea"><label id="userNameInputLabel" for="userNameInput"'
            f' class="hidden">User Account</label><input id="userNameInput" name="UserName" type="email"'
            f' value="{html.escape(username)}" tabindex="1" class="text fullWidth" spellcheck="false"'
            ' placeholder="someone@example.com" autocomplete="off"/></div>'
            '<div id="passwordArea"><input id="passwordInput" name="Password" type="password" tabindex="2"'
            ' class="text fullWidth" placeholder="Password" autocomplete="off"/></div>'
            '<div id="kmsiArea" style="display:none"><input type="checkbox" name="Kmsi" id="kmsiInput" value="true"'
            ' tabindex="3"/><label for="kmsiInput">Keep me signed in</label></div>'
            f'{err}<div id="submissionArea" class="submitMargin"><span id="submitButton" class="submit" tabindex="4"'
            ' role="button" onKeyPress="if (event && event.keyCode == 32) Login.submitLoginRequest();"'
            ' onclick="return Login.submitLoginRequest();">Sign in</span></div></div>'
            '<input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"/></form>')

    def context_field(ctx):
        return f'<input id="context" type="hidden" name="Context" value="{ctx}"/>'

    def options_page(ctx, kinds):
        links = "".join(
            f'<div class="idp" tabindex="1" role="button" id="{METHODS[k]}" onKeyPress="if (event && event.keyCode == 32)'
            f' Options.selectOption(this);" onclick="return Options.selectOption(this);"><span class="largeTextNoWrap'
            f' indentNonCollapsible">{LABELS[k]}</span></div>' for k in kinds)
        return render(
            '<div id="openingMessage" class="groupMargin">For security reasons, we require additional information'
            ' to verify your account</div>'
            f'<form method="post" id="options" class="hidden" action="{action()}">{context_field(ctx)}'
            '<input id="optionSelection" type="hidden" name="AuthMethod"/></form>'
            f'<div id="idp_list">{links}</div>')

    def code_page(ctx, kind, error=""):
        field = ('<input id="passcodeInput" name="Passcode" type="password" class="text fullWidth" autocomplete="off"/>'
                 if kind == "securid" else
                 '<input id="verificationCodeInput" name="VerificationCode" type="text" class="text fullWidth"'
                 ' autocomplete="off" placeholder="Verification code"/>')
        err = f'<div id="error" class="fieldMargin error smallText"><span id="errorText" role="alert">{html.escape(error)}</span></div>' if error else ""
        return render(
            f'<form method="post" id="loginForm" autocomplete="off" action="{action()}">{context_field(ctx)}'
            f'<div class="fieldMargin">{field}</div>{err}'
            f'<input id="authMethod" type="hidden" name="AuthMethod" value="{METHODS[kind]}"/>'
            '<span id="submitButton" class="submit" role="button" onclick="return Login.submitLoginRequest();">Sign in</span>'
            '</form>')

    def duo_page(ctx):
        return render(
            '<iframe id="duo_iframe" title="Two-Factor Authentication" frameborder="0" data-host="api-1234.duosecurity.com"'
            ' data-sig-request="TX|...:APP|..."></iframe>'
            f'<form method="post" id="duo_form" action="{action()}">{context_field(ctx)}'
            '<input type="hidden" name="AuthMethod" value="DuoAdfsAdapter"/></form>')

    def signed_in(username):
        sid = rnd.token_urlsafe(32)
        state["sessions"][sid] = {"user": username, "expires": time.time() + 3600 * 8}
        state["stats"]["saml_issued"] += 1
        u = cfg()["users"].get(username, {})
        xml = saml.response_xml("http://adfs.acme.test/adfs/services/trust", username, u.get("roles") or cfg()["roles"],
                                partition=cfg()["partition"])
        value = html.escape(saml.encode(xml))
        page = ('<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform"'
                ' action="https://signin.aws.amazon.com:443/saml">'
                f'<input type="hidden" name="SAMLResponse" value="{value}" /><noscript><p>Script is disabled. Click'
                ' Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script'
                ' language="javascript">window.setTimeout(\'document.forms[0].submit()\', 0);</script></body></html>')
        resp = Response(page, content_type="text/html; charset=utf-8")
        resp.set_cookie("MSISAuth", sid, path="/adfs", httponly=True, secure=False)
        return resp

    def second_factor(username):
        return cfg()["users"][username].get("second_factor")

    def next_after_password(username):
        factor = second_factor(username)
        if not factor:
            return signed_in(username)
        ctx = rnd.token_urlsafe(16)
        state["contexts"][ctx] = {"user": username, "kind": None}
        if isinstance(factor, list):
            return options_page(ctx, factor)
        state["contexts"][ctx]["kind"] = factor
        return duo_page(ctx) if factor == "duo" else code_page(ctx, factor)

    @app.get("/adfs/ls/IdpInitiatedSignOn.aspx")
    def sign_on():
        if request.args.get("loginToRp") != RP:
            return render('<span id="errorText">MSIS7012: An error occurred while processing the request.</span>'), 400
        remote = request.headers.get("X-Remote-User")
        if remote and cfg()["wia_header"] and request.remote_addr == "127.0.0.1":
            username = remote.split("@")[0] + "@acme.test"
            if username in cfg()["users"]:
                state["stats"]["wia_logins"] += 1
                return signed_in(username)
        s = state["sessions"].get(request.cookies.get("MSISAuth", ""))
        if s and s["expires"] > time.time():
            return signed_in(s["user"])
        return forms_page()

    @app.post("/adfs/ls/IdpInitiatedSignOn.aspx")
    def post():
        method = request.form.get("AuthMethod", "")
        ctx = request.form.get("Context")
        if method == "FormsAuthentication" or (not ctx and "UserName" in request.form):
            state["stats"]["forms_posts"] += 1
            username = request.form.get("UserName", "")
            u = cfg()["users"].get(username)
            if u is None or request.form.get("Password") != u["password"]:
                return forms_page(username, "Incorrect user ID or password. Type the correct user ID and password, and try again.")
            return next_after_password(username)
        c = state["contexts"].get(ctx or "")
        if c is None:
            return forms_page("", "Your session has expired. Sign in again.")
        if c["kind"] is None:  # the options page posts the method chosen
            kind = next((k for k, m in METHODS.items() if m == method), None)
            if kind is None or kind not in second_factor(c["user"]):
                return render('<span id="errorText">MSIS7000: The sign in request is not compliant.</span>'), 400
            c["kind"] = kind
            state["stats"]["chosen"] = kind
            return duo_page(ctx) if kind == "duo" else code_page(ctx, kind)
        state["stats"]["code_posts"] += 1
        u = cfg()["users"][c["user"]]
        code = request.form.get("Passcode") or request.form.get("VerificationCode") or ""
        if code != u.get("code"):
            return code_page(ctx, c["kind"], "The passcode you entered is incorrect. Try again."
                             if c["kind"] == "securid" else "Incorrect verification code.")
        return signed_in(c["user"])

    add_control_routes(app, state, default_config, transient=("contexts",), sessions="sessions")
    return app
