"""A PingFederate simulator with PingID, written from Ping's documented templates and flow:
IdP-initiated SSO to AWS, the HTML Form Adapter's login page (pf.username, pf.pass, the hidden
pf.ok set to "clicked" by script, .ping-error), the hand-off to PingID (a hidden form with
ppm_request posted by script), PingID's passcode page (otp) or its push page, and the way back
(ppm_response posted by script) to the SAMLResponse post.

  GET  /idp/startSSO.ping?PartnerSpId=urn:amazon:webservices
  POST /idp/REF/resumeSAML20/idp/startSSO.ping       login; and ppm_response from PingID
  POST /pingid/ppm/auth                               ppm_request -> the passcode or push page
  POST /pingid/ppm/auth/otp                           otp -> back to PingFederate, or the error"""
import html
import secrets as rnd
import time

from flask import Flask, Response, request

import saml
from control import add_control_routes


def default_config():
    # pingid per user: None, "otp" or "push".
    return {"users": {}, "roles": [], "partition": "aws"}


PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>{body_tag}'
        '<div class="ping-container"><div class="ping-body-container">{body}</div></div></body></html>')


def create_app():
    app = Flask("pingfederate-sim")
    state = {"config": default_config(), "flows": {}, "sessions": {},
             "stats": {"login_posts": 0, "otp_posts": 0, "saml_issued": 0}}

    def cfg():
        return state["config"]

    def render(title, body, onload=None):
        tag = f'<body onload="{onload}">' if onload else "<body>"
        return Response(PAGE.format(title=html.escape(title), body_tag=tag, body=body), content_type="text/html;charset=utf-8")

    def login_page(ref, error=""):
        err = f'<div class="ping-error">{html.escape(error)}</div>' if error else ""
        return render("Sign On", (
            f'<form method="POST" action="/idp/{ref}/resumeSAML20/idp/startSSO.ping" autocomplete="off">'
            '<div class="ping-input-label">Username</div><div class="ping-input-container">'
            '<input id="username" type="text" size="36" name="pf.username" value="" autocorrect="off"'
            ' autocapitalize="off" onKeyPress="return postOnReturn(event)"></div>'
            '<div class="ping-input-label">Password</div><div class="ping-input-container">'
            '<input id="password" type="password" size="36" name="pf.pass" onKeyPress="return postOnReturn(event)"'
            ' autocomplete="off"></div>'
            f'{err}<div class="ping-buttons"><a href="javascript:void(0)" onclick="postOk();" class="ping-button normal'
            ' allow" title="Sign On">Sign On</a></div>'
            '<input type="hidden" name="pf.ok" value="" id="ok"/><input type="hidden" name="pf.cancel" value=""'
            ' id="cancel"/><input type="hidden" name="pf.adapterId" value="HTMLFormAdapter"/>'
            '<script>function postOk() { document.forms[0][\'pf.ok\'].value = \'clicked\';'
            ' document.forms[0].submit(); }</script></form>'))

    def auto_post(title, action, name, value):
        return render(title, (
            f'<form method="post" action="{action}"><input type="hidden" name="{name}" value="{html.escape(value)}"/>'
            '<noscript><input type="submit" value="Resume"/></noscript></form>'), onload="document.forms[0].submit()")

    def otp_page(token, error=""):
        err = f'<div class="error-message">{html.escape(error)}</div>' if error else ""
        return render("PingID", (
            '<div class="auth-title">Authenticating on Alice\'s iPhone</div>'
            f'<form id="otp-form" method="post" action="/pingid/ppm/auth/otp">'
            f'<input type="hidden" name="csrfToken" value="{rnd.token_hex(8)}"/><input type="hidden" name="message"'
            f' value="{token}"/><label for="otp">Enter passcode</label><input type="text" id="otp" name="otp"'
            f' autocomplete="off" inputmode="numeric"/>{err}<input type="submit" value="Sign On"/></form>'))

    def push_page(token):
        return render("PingID", (
            '<div class="auth-title">Authenticating on Alice\'s iPhone</div><p>Approve the request on your device.</p>'
            f'<form id="form1" method="post" action="/pingid/ppm/auth/poll"><input type="hidden" name="message" value="{token}"/>'
            '</form><script>setTimeout(function () { poll(); }, 2000);</script>'))

    def saml_post(user):
        state["stats"]["saml_issued"] += 1
        xml = saml.response_xml("https://pingfed.acme.test", user, cfg()["users"].get(user, {}).get("roles") or cfg()["roles"],
                                partition=cfg()["partition"])
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html;charset=utf-8")

    @app.get("/idp/startSSO.ping")
    def start():
        if request.args.get("PartnerSpId") != "urn:amazon:webservices":
            return render("Error", '<div class="ping-error">Unknown partner.</div>'), 400
        ref = rnd.token_hex(3)
        state["flows"][ref] = {"user": None, "token": None}
        s = state["sessions"].get(request.cookies.get("PF", ""))
        if s and s["expires"] > time.time():
            return saml_post(s["user"])
        return login_page(ref)

    @app.post("/idp/<ref>/resumeSAML20/idp/startSSO.ping")
    def resume(ref):
        f = state["flows"].get(ref)
        if f is None:
            return render("Error", '<div class="ping-error">Your session has timed out.</div>'), 400
        if "ppm_response" in request.form:
            if f["token"] is None or request.form["ppm_response"] != f["token"] + ".approved":
                return render("Error", '<div class="ping-error">Authentication failed.</div>'), 400
            return signed_in(f["user"])
        state["stats"]["login_posts"] += 1
        if request.form.get("pf.ok") != "clicked":
            return login_page(ref)
        user = request.form.get("pf.username", "")
        u = cfg()["users"].get(user)
        if u is None or request.form.get("pf.pass") != u["password"]:
            return login_page(ref, "We didn't recognize the username or password you entered. Please try again.")
        f["user"] = user
        if not u.get("pingid"):
            return signed_in(user)
        f["token"] = ref + "." + rnd.token_hex(8)
        return auto_post("Submit Form", "/pingid/ppm/auth", "ppm_request", f["token"])

    def signed_in(user):
        sid = rnd.token_urlsafe(24)
        state["sessions"][sid] = {"user": user, "expires": time.time() + 3600 * 8}
        resp = saml_post(user)
        resp.set_cookie("PF", sid, path="/", httponly=True)
        return resp

    def flow_of(token):
        ref = (token or "").split(".")[0]
        f = state["flows"].get(ref)
        return (ref, f) if f and f["token"] == token else (None, None)

    @app.post("/pingid/ppm/auth")
    def pingid():
        ref, f = flow_of(request.form.get("ppm_request"))
        if f is None:
            return render("PingID", '<div class="error-message">Invalid request.</div>'), 400
        return otp_page(f["token"]) if cfg()["users"][f["user"]]["pingid"] == "otp" else push_page(f["token"])

    @app.post("/pingid/ppm/auth/otp")
    def otp():
        ref, f = flow_of(request.form.get("message"))
        if f is None:
            return render("PingID", '<div class="error-message">Invalid request.</div>'), 400
        state["stats"]["otp_posts"] += 1
        if request.form.get("otp") != cfg()["users"][f["user"]].get("code"):
            return otp_page(f["token"], "Incorrect passcode. Please try again.")
        return auto_post("Submit Form", f"/idp/{ref}/resumeSAML20/idp/startSSO.ping", "ppm_response", f["token"] + ".approved")

    add_control_routes(app, state, default_config, transient=("flows",), sessions="sessions")
    return app
