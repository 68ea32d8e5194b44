"""An Azure AD (Entra ID) simulator: the pages and JSON calls of login.microsoftonline.com
that a headless client meets, on one loopback origin.

  GET  /applications/redirecttofederatedapplication.aspx?Operation=LinkedSignIn&applicationId=ID   (the SAML URL)
  GET  /{tenant}/saml2?SAMLRequest=...     ConvergedSignIn page, or the final form with a live ESTSAUTH cookie
  POST /common/GetCredentialType           {"username", "flowToken", ...} -> IfExistsResult, FederationRedirectUrl
  POST /{tenant}/login                     password post -> ConvergedTFA | KmsiInterrupt | ConvergedProofUpRedirect | error
  POST /common/SAS/BeginAuth, /common/SAS/EndAuth, /common/SAS/ProcessAuth    MFA
  POST /kmsi                               "stay signed in?" -> the "Working..." page with the SAMLResponse
  GET/POST /adfs/ls/                       a federated user's ADFS form; posts wresult to /login.srf

Every page carries its state in `$Config={...}` as the real ones do."""
import html
import json
import secrets as rnd
import time

from flask import Flask, Response, redirect, request

import saml
from control import add_control_routes

TENANT = "3f8a2c1e-0000-4000-8000-00000000abcd"


def default_config():
    # polling_interval: milliseconds, as login.microsoftonline.com's iPollingInterval is.
    # after_kmsi: what a fresh login lands on after "Stay signed in?": "portal" (today's shape: a
    # script-posted `hiddenform` of code/id_token/state/session_state to the portal, which answers
    # with the SAMLRequest relay) or "direct" (older: the "Working..." page with the SAMLResponse).
    return {"users": {}, "roles": [], "locked": [], "session_duration": None, "partition": "aws", "polling_interval": 1000,
            "after_kmsi": "portal"}


def create_app():
    app = Flask("azuread-sim")
    state = {"config": default_config(), "flows": {}, "sessions": {}, "stats": {"password_posts": 0, "end_auth": 0, "kmsi": 0, "portal": 0,
                                                                                 "min_poll_gap_ms": 0}, "last_poll": None}

    def cfg():
        return state["config"]

    def new_flow(**data):
        ft = "AQABAAEAAA" + rnd.token_urlsafe(40)
        state["flows"][ft] = data
        return ft

    def flow(token):
        return state["flows"].get(token)

    def page(pgid, flow_token, title="Sign in to your account", extra=None):
        conf = {"pgid": pgid, "sFT": flow_token, "sFTName": "flowToken", "sCtx": "rQQIARAA" + rnd.token_urlsafe(20),
                "canary": rnd.token_urlsafe(30), "apiCanary": rnd.token_urlsafe(30), "sessionId": rnd.token_hex(16),
                "urlPost": f"/{TENANT}/login", "urlGetCredentialType": "/common/GetCredentialType?mkt=en-US",
                "sErrorCode": "", "iMaxPollErrors": 5, "correlationId": rnd.token_hex(16)}
        conf.update(extra or {})
        body = (f'<!DOCTYPE html><html dir="ltr" class="" lang="en"><head><title>{title}</title>'
                '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>'
                '<script type="text/javascript">//<![CDATA[\n'
                f'$Config={json.dumps(conf)};\n'
                '//]]></script><script src="https://aadcdn.msftauth.net/shared/1.0/content/js/ConvergedLogin_PCore.js"></script>'
                '</body></html>')
        return Response(body, content_type="text/html; charset=utf-8")

    def working(user):
        roles = cfg()["users"][user].get("roles") or cfg()["roles"]
        xml = saml.response_xml(f"https://sts.windows.net/{TENANT}/", user, roles,
                                session_duration=cfg()["session_duration"], partition=cfg()["partition"])
        action = saml.SIGNIN[cfg()["partition"]]
        body = ('<html><head><title>Working...</title></head><body>'
                f'<form method="POST" name="hiddenform" action="{action}">'
                f'<input type="hidden" name="SAMLResponse" value="{html.escape(saml.encode(xml))}" />'
                '<input type="hidden" name="RelayState" value="" />'
                '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>'
                "<script language=\"javascript\">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>")
        return Response(body, content_type="text/html; charset=utf-8")

    def live_user():
        s = state["sessions"].get(request.cookies.get("ESTSAUTH", ""))
        return s["user"] if s and s["expires"] > time.time() else None

    def signed_in(resp, user):
        token = rnd.token_urlsafe(32)
        state["sessions"][token] = {"user": user, "expires": time.time() + 3600 * 12}
        resp.set_cookie("ESTSAUTH", token, path="/", httponly=True)
        resp.set_cookie("ESTSAUTHPERSISTENT", token, path="/", httponly=True, max_age=3600 * 24 * 90)
        return resp

    @app.get("/applications/redirecttofederatedapplication.aspx")
    def start():
        if request.args.get("Operation") != "LinkedSignIn":
            return Response("Bad request", status=400)
        # Like the real one: HTTP 200 and a script that sends the browser on (no 302).
        target = f"/{TENANT}/saml2?SAMLRequest=fZJNb4MwDIb%2FSuQ7JKS0hajQV1KlSfuHUntj\\u0026RelayState="
        return Response('<html><head><title>Redirecting</title></head><body>'
                        f'<script type="text/javascript">window.location = \'{target}\';</script>'
                        '<noscript>JavaScript is required.</noscript></body></html>', content_type="text/html; charset=utf-8")

    def portal_handoff():
        """The OpenID Connect answer a browser posts to the portal by script."""
        fields = {"code": "0.AXoA" + rnd.token_urlsafe(24), "id_token": "eyJ0eXAiOiJKV1QifQ." + rnd.token_urlsafe(24),
                  "state": "OpenIdConnect.AuthenticationProperties=" + rnd.token_urlsafe(16), "session_state": rnd.token_hex(16)}
        inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}" />' for k, v in fields.items())
        body = ('<html><head><title>Working...</title></head><body>'
                f'<form method="POST" name="hiddenform" action="/portal/landing">{inputs}'
                '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form>'
                "<script language=\"javascript\">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>")
        return Response(body, content_type="text/html; charset=utf-8")

    @app.post("/portal/landing")
    def portal_landing():
        if not all(request.form.get(k) for k in ("code", "id_token", "state", "session_state")):
            return Response("AADSTS900144: The request body must contain the following parameter: 'code'.", status=400)
        state["stats"]["portal"] += 1
        # The portal starts the SAML sign-in to the AWS app: an auto-posted SAMLRequest.
        body = ('<html><head><title>Working...</title></head><body onload="document.forms[0].submit()">'
                f'<form method="post" action="/{TENANT}/saml2">'
                '<input type="hidden" name="SAMLRequest" value="fZJNb4MwDIb/SuQ7JKS0hajQV1KlSfuHUntj" />'
                '<input type="hidden" name="RelayState" value="" /></form></body></html>')
        return Response(body, content_type="text/html; charset=utf-8")

    @app.route(f"/{TENANT}/saml2", methods=["GET", "POST"])
    def saml2():
        user = live_user()
        if user:
            return working(user)
        # A fresh sign-in page carries 50058 ("not signed in yet") as a normal state.
        return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "50058"})

    @app.post("/common/GetCredentialType")
    def credential_type():
        body = request.get_json(force=True, silent=True) or {}
        user = body.get("username", "")
        u = cfg()["users"].get(user)
        f = flow(body.get("flowToken", ""))
        if f is None:
            return {"error": "invalid flow token"}, 400
        creds = {"PrefCredential": 1, "HasPassword": True, "RemoteNgcParams": None, "FidoParams": None, "SasParams": None}
        if u and u.get("federated"):
            creds["FederationRedirectUrl"] = f"/adfs/ls/?username={user}&wa=wsignin1.0&wtrealm=urn%3afederation%3aMicrosoftOnline"
        return {"Username": user, "Display": user, "IfExistsResult": 0 if u else 1, "IsUnmanaged": False,
                "ThrottleStatus": 0, "Credentials": creds, "EstsProperties": {"UserTenantBranding": None},
                "FlowToken": new_flow(stage="password", user=user), "IsSignupDisallowed": True, "apiCanary": rnd.token_urlsafe(20)}

    def after_password(user):
        u = cfg()["users"][user]
        if u.get("proofup"):
            return page("ConvergedProofUpRedirect", new_flow(stage="proofup", user=user),
                        extra={"urlSkipMfaRegistration": "/common/SAS/ProcessAuth?skipProofUp=1&flow=" + new_flow(stage="kmsi", user=user)})
        if u.get("methods"):
            proofs = [{"authMethodId": m["id"], "data": m["id"], "display": "+X XXXXXXXX12", "isDefault": i == 0,
                       "isLocationAware": False} for i, m in enumerate(u["methods"])]
            return page("ConvergedTFA", new_flow(stage="mfa", user=user), title="Verify your identity", extra={
                "arrUserProofs": proofs, "urlBeginAuth": "/common/SAS/BeginAuth", "urlEndAuth": "/common/SAS/EndAuth",
                "urlPost": "/common/SAS/ProcessAuth", "iPollingInterval": cfg()["polling_interval"], "iMaxPollAttempts": 60,
                # Per method, in seconds (unlike iPollingInterval's milliseconds).
                "oPerAuthPollingInterval": {"PhoneAppNotification": cfg()["polling_interval"] / 1000}})
        return kmsi_page(user)

    def kmsi_page(user):
        return page("KmsiInterrupt", new_flow(stage="kmsi", user=user), title="Stay signed in?", extra={"urlPost": "/kmsi"})

    @app.post(f"/{TENANT}/login")
    def login():
        state["stats"]["password_posts"] += 1
        f = flow(request.form.get("flowToken", ""))
        if not f or f.get("stage") != "password":
            return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "90014"})
        user = request.form.get("login", "")
        u = cfg()["users"].get(user)
        if user in cfg()["locked"]:
            return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "50053"})
        if not u or u.get("password") != request.form.get("passwd"):
            return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "50126"})
        return after_password(user)

    @app.post("/common/SAS/BeginAuth")
    def begin_auth():
        body = request.get_json(force=True, silent=True) or {}
        f = flow(body.get("flowToken", ""))
        if not f or f.get("stage") != "mfa":
            return {"Success": False, "ResultValue": "InvalidSession", "Message": "Invalid flow token"}
        method = next((m for m in cfg()["users"][f["user"]]["methods"] if m["id"] == body.get("AuthMethodId")), None)
        if not method:
            return {"Success": False, "ResultValue": "InvalidAuthMethod", "Message": "Unknown method"}
        session = rnd.token_hex(16)
        f["mfa"] = {"method": method, "session": session, "polls": 0}
        resp = {"Success": True, "ResultValue": "Success", "Message": None, "AuthMethodId": method["id"], "ErrCode": 0,
                "Retry": False, "FlowToken": new_flow(**f), "Ctx": body.get("ctx"), "SessionId": session,
                "CorrelationId": rnd.token_hex(16), "Timestamp": "2026-01-01T00:00:00Z"}
        if "number" in method:
            resp["Entropy"] = method["number"]
        return resp

    @app.post("/common/SAS/EndAuth")
    def end_auth():
        state["stats"]["end_auth"] += 1
        body = request.get_json(force=True, silent=True) or {}
        f = flow(body.get("FlowToken", ""))
        if not f or "mfa" not in f or f["mfa"]["session"] != body.get("SessionId"):
            return {"Success": False, "ResultValue": "InvalidSession", "Retry": False}
        m = f["mfa"]
        method = m["method"]
        ok = False
        result = "Success"
        if method["id"] == "PhoneAppNotification":
            now = time.time()
            if m.get("last_poll") is not None:
                gap = int((now - m["last_poll"]) * 1000)
                low = state["stats"]["min_poll_gap_ms"]
                state["stats"]["min_poll_gap_ms"] = gap if low == 0 else min(low, gap)
            m["last_poll"] = now
            m["polls"] += 1
            if m["polls"] <= method.get("polls", 2):
                return {"Success": False, "ResultValue": "AuthenticationPending", "Retry": True, "FlowToken": new_flow(**f),
                        "Ctx": body.get("Ctx"), "SessionId": m["session"]}
            outcome = method.get("result", "approve")
            ok = outcome == "approve"
            result = {"approve": "Success", "deny": "PhoneAppDenied", "timeout": "PhoneAppNoResponse"}[outcome]
        elif method["id"] == "PhoneAppOTP":
            code = body.get("AdditionalAuthData", "")
            ok = any(saml.totp(method["secret"].encode(), time.time() + d * 30) == code for d in (-1, 0, 1))
            result = "Success" if ok else "OathCodeIncorrect"
        elif method["id"] == "OneWaySMS":
            ok = body.get("AdditionalAuthData") == method["code"]
            result = "Success" if ok else "SMSAuthFailedWrongCodeEntered"
        if not ok:
            return {"Success": False, "ResultValue": result, "Retry": False, "Message": None}
        done = dict(f, stage="processauth")
        return {"Success": True, "ResultValue": "Success", "Retry": False, "FlowToken": new_flow(**done), "Ctx": body.get("Ctx")}

    @app.route("/common/SAS/ProcessAuth", methods=["GET", "POST"])
    def process_auth():
        if request.method == "GET" and request.args.get("skipProofUp"):
            f = flow(request.args.get("flow", ""))
            return kmsi_page(f["user"]) if f else page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "90014"})
        f = flow(request.form.get("flowToken", ""))
        if not f or f.get("stage") != "processauth":
            return page("ConvergedTFA", new_flow(stage="signin"), extra={"sErrorCode": "50074"})
        return kmsi_page(f["user"])

    @app.post("/kmsi")
    def kmsi():
        state["stats"]["kmsi"] += 1
        f = flow(request.form.get("flowToken", ""))
        if not f or f.get("stage") != "kmsi" or request.form.get("LoginOptions") not in ("0", "1"):
            return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "90014"})
        answer = portal_handoff() if cfg().get("after_kmsi", "portal") == "portal" else working(f["user"])
        return signed_in(answer, f["user"])

    # ---- a federated user's ADFS ----
    @app.route("/adfs/ls/", methods=["GET", "POST"])
    def adfs():
        error = ""
        if request.method == "POST":
            user, password = request.form.get("UserName", ""), request.form.get("Password", "")
            u = cfg()["users"].get(user)
            if u and u.get("password") == password and request.form.get("AuthMethod") == "FormsAuthentication":
                token = new_flow(stage="wsfed", user=user)
                wresult = f'<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"><t:Token>{token}</t:Token></t:RequestSecurityTokenResponse>'
                body = ('<html><head><title>Working...</title></head><body>'
                        '<form method="POST" name="hiddenform" action="/login.srf">'
                        '<input type="hidden" name="wa" value="wsignin1.0" />'
                        f'<input type="hidden" name="wresult" value="{html.escape(wresult)}" />'
                        '<input type="hidden" name="wctx" value="LoginOptions=3" />'
                        '<noscript><input type="submit" value="Submit" /></noscript></form></body></html>')
                return Response(body, content_type="text/html")
            error = '<span id="errorText" for="">Incorrect user ID or password. Type the correct user ID and password, and try again.</span>'
        body = ('<!DOCTYPE html><html><head><title>Sign In</title></head><body><div id="loginArea">'
                f'<form method="post" id="loginForm" autocomplete="off" novalidate="novalidate" action="/adfs/ls/?client-request-id={rnd.token_hex(8)}">'
                '<div id="error" class="fieldMargin error smallText">' + error + '</div>'
                '<input id="userNameInput" name="UserName" type="email" value="" autocomplete="off"/>'
                '<input id="passwordInput" name="Password" type="password" autocomplete="off"/>'
                '<input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"/>'
                '<span id="submitButton" class="submit" role="button">Sign in</span></form></div></body></html>')
        return Response(body, content_type="text/html")

    @app.post("/login.srf")
    def login_srf():
        wresult = request.form.get("wresult", "")
        token = wresult.split("<t:Token>")[-1].split("</t:Token>")[0] if "<t:Token>" in wresult else ""
        f = flow(token)
        if not f or f.get("stage") != "wsfed":
            return page("ConvergedSignIn", new_flow(stage="signin"), extra={"sErrorCode": "50008"})
        return after_password(f["user"])

    add_control_routes(app, state, default_config, transient=("flows",), sessions="sessions")
    return app
