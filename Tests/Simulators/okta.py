"""An Okta simulator: the classic authentication API and the AWS app's embed link.

  GET  /home/amazon_aws/{app}/272                 the SAML URL: SAMLResponse with a live `sid`,
                                                  a step-up page with `var stateToken = '...'`, or
                                                  302 to /login/login.htm
  POST /api/v1/authn                              {"username","password"} or {"stateToken"}
  POST /api/v1/authn/factors/{id}/verify          {"stateToken","passCode"?}
  GET  /login/sessionCookieRedirect?token&redirectUrl   sets `sid`
  GET  /.well-known/okta-organization             {"pipeline": "v1" | "idx"}

Identity Engine (with "identity_engine": true), as Okta's OAuth 2.0 API documents it:
  POST /oauth2/v1/device/authorize                client_id, scope -> device_code, user_code, verification_uri...
  POST /oauth2/v1/token                           device_code grant (authorization_pending, slow_down,
                                                  access_denied, expired_token), refresh_token grant
                                                  (rotating), token-exchange grant to a web_sso_token
  GET  /login/token/sso?token=                    the SAML auto-post page of the federation app
  POST /_sim/device/approve|deny {"user_code", "user"}   the person on their phone
  POST /_sim/revoke-refresh-tokens, /_sim/expire-access-tokens"""
import base64
import html
import json
import secrets as rnd
import time

from flask import Flask, Response, redirect, request

import saml
from control import add_control_routes


def default_config():
    return {"users": {}, "roles": [], "locked": [], "identity_engine": False, "step_up": False,
            "session_duration": None, "partition": "aws",
            # Identity Engine: the OIDC native app, the scopes it may get, the AWS federation app.
            "oidc_client_id": "0oa9nativeCLI", "allowed_scopes": ["openid", "profile", "offline_access", "okta.apps.sso", "device_sso"],
            "federation_app_id": "0oa1b2c3d4AWS", "device_interval": 1, "device_expires_in": 600,
            # Polls closer together than this get slow_down (default: the announced interval; the
            # first poll may come at once, as Okta's own clients poll).
            "device_min_interval": None,
            # Fields of the device authorization answer replaced by a test (a hostile org).
            "device_answer": None,
            "access_token_lifetime": 3600,
            # Browser login's test switch: the sign-in page's script plays the person as the
            # Okta widget would (authn with the password, a security key touched, then the
            # session cookie redirect). Headless clients never run it.
            "autofill": None}


def jwt(claims):
    """A JWT as Okta issues them (RS256 header; the signature is not checked by clients here)."""
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{b64({'kid': 'sim-key', 'alg': 'RS256'})}.{b64(claims)}.{base64.urlsafe_b64encode(rnd.token_bytes(64)).rstrip(b'=').decode()}"


def oauth_error(code, description, status=400):
    return {"error": code, "error_description": description}, status


def error(status, code, summary, causes=None):
    return ({"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": "oae" + rnd.token_hex(8),
             "errorCauses": [{"errorSummary": c} for c in (causes or [])]}, status)


def create_app():
    app = Flask("okta-sim")
    state = {"config": default_config(), "transactions": {}, "sessions": {}, "tokens": {},
             "stats": {"authn_password": 0, "verify": 0, "polls": 0, "saml_issued": 0,
                       "device_authorize": 0, "device_polls": 0, "slow_down": 0, "refresh": 0, "exchange": 0,
                       "org_probe": 0},
             "devices": {}, "access": {}, "refresh": {}, "web_sso": {}}

    def cfg():
        return state["config"]

    def base():
        return request.host_url.rstrip("/")

    def factor_doc(f, i):
        kind = f["type"]
        fid = f.get("id") or f"{ {'push': 'opf', 'sms': 'sms', 'call': 'clf', 'email': 'emf'}.get(kind, 'ost') }{i:04d}fake"
        f["id"] = fid
        profile = {"push": {"name": "Pixel 8", "platform": "ANDROID", "deviceType": "SmartPhone_Android"},
                   "sms": {"phoneNumber": "+1 XXX-XXX-4321"}, "call": {"phoneNumber": "+1 XXX-XXX-4321"},
                   "email": {"email": "a...e@example.com"}}.get(kind, {"credentialId": "alice@example.com"})
        return {"id": fid, "factorType": kind, "provider": f.get("provider", "OKTA"), "vendorName": f.get("provider", "OKTA"),
                "profile": profile,
                "_links": {"verify": {"href": f"{base()}/api/v1/authn/factors/{fid}/verify", "hints": {"allow": ["POST"]}}}}

    def new_transaction(user, purpose="login"):
        token = "00" + rnd.token_urlsafe(30)
        state["transactions"][token] = {"user": user, "purpose": purpose, "challenge": None, "polls": 0, "sent": False,
                                        "expires": time.time() + 300}
        return token

    def success(user, tx_token):
        state["transactions"].pop(tx_token, None)
        st = "20111" + rnd.token_urlsafe(24)
        state["tokens"][st] = user
        return {"expiresAt": "2030-01-01T00:00:00.000Z", "status": "SUCCESS", "sessionToken": st,
                "_embedded": {"user": {"id": "00u" + rnd.token_hex(6), "profile": {"login": user}}}}

    def mfa_required(user, token):
        factors = [factor_doc(f, i) for i, f in enumerate(cfg()["users"][user].get("factors", []))]
        return {"stateToken": token, "expiresAt": "2030-01-01T00:00:00.000Z", "status": "MFA_REQUIRED",
                "_embedded": {"user": {"profile": {"login": user}}, "factors": factors},
                "_links": {"cancel": {"href": f"{base()}/api/v1/authn/cancel"}}}

    @app.get("/.well-known/okta-organization")
    def org():
        state["stats"]["org_probe"] += 1
        return {"id": "00o" + "simulated", "pipeline": "idx" if cfg()["identity_engine"] else "v1",
                "_links": {"organization": {"href": base()}}}

    def live_session():
        sid = request.cookies.get("sid")
        s = state["sessions"].get(sid)
        return s if s and s["expires"] > time.time() else None

    @app.get("/home/amazon_aws/<app_id>/272")
    def app_link(app_id):
        s = live_session()
        if not s:
            return redirect(f"/login/login.htm?fromURI=%2Fhome%2Famazon_aws%2F{app_id}%2F272", code=302)
        if cfg()["step_up"] and not s.get("stepped_up"):
            token = new_transaction(s["user"], purpose="step-up")
            s["pending_step_up"] = token
            escaped = "".join(f"\\x{ord(c):02X}" if c == "-" else c for c in token)
            page = ("<!DOCTYPE html><html><head><title>Okta - Extra Verification</title></head><body>"
                    f"<script type=\"text/javascript\">var stateToken = '{escaped}';\nvar OktaSignIn = {{}};</script>"
                    '<div id="okta-sign-in"></div></body></html>')
            return Response(page, content_type="text/html")
        user = s["user"]
        roles = cfg()["users"][user].get("roles") or cfg()["roles"]
        xml = saml.response_xml(base() + "/exk" + app_id, user, roles, session_duration=cfg()["session_duration"],
                                partition=cfg()["partition"])
        state["stats"]["saml_issued"] += 1
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html")

    @app.get("/login/login.htm")
    def login_page():
        fill = cfg().get("autofill")
        script = ""
        if fill:
            script = ("<script>(async function () {"
                      "var post = async function (url, body) { var r = await fetch(url, {method: 'POST',"
                      " headers: {'Content-Type': 'application/json', 'Accept': 'application/json'}, body: JSON.stringify(body)});"
                      " return r.json(); };"
                      f"var a = await post('/api/v1/authn', {{username: {json.dumps(fill['username'])}, password: {json.dumps(fill['password'])}}});"
                      "while (a.status === 'MFA_REQUIRED') {"
                      " var f = a._embedded.factors.find(function (x) { return x.factorType === 'webauthn'; });"
                      " a = await post(f._links.verify.href, {stateToken: a.stateToken, clientData: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0',"
                      " authenticatorData: 'SZYN5YgOjGh0NBcP', signatureData: 'MEUCIQ'}); }"
                      "var from = new URLSearchParams(location.search).get('fromURI') || '/';"
                      "location.href = '/login/sessionCookieRedirect?token=' + encodeURIComponent(a.sessionToken)"
                      " + '&redirectUrl=' + encodeURIComponent(from); })();</script>")
        return Response('<!DOCTYPE html><html><head><title>Acme - Sign In</title></head><body>'
                        '<div id="okta-login-container"></div><script>var okta = { widgetUrl: "/js/okta-sign-in.min.js" };</script>'
                        + script + '</body></html>', content_type="text/html")

    @app.post("/api/v1/authn")
    def authn():
        body = request.get_json(force=True, silent=True) or {}
        if "stateToken" in body:
            tx = state["transactions"].get(body["stateToken"])
            if not tx:
                return error(401, "E0000011", "Invalid token provided")
            return mfa_required(tx["user"], body["stateToken"])
        state["stats"]["authn_password"] += 1
        if cfg()["identity_engine"]:
            return error(401, "E0000004", "Authentication failed")
        user, password = body.get("username", ""), body.get("password", "")
        if user in cfg()["locked"]:
            return {"status": "LOCKED_OUT", "_links": {}}
        u = cfg()["users"].get(user)
        if not u or u["password"] != password:
            return error(401, "E0000004", "Authentication failed")
        token = new_transaction(user)
        if not u.get("factors"):
            return success(user, token)
        return mfa_required(user, token)

    @app.post("/api/v1/authn/factors/<fid>/verify")
    def verify(fid):
        state["stats"]["verify"] += 1
        body = request.get_json(force=True, silent=True) or {}
        token = body.get("stateToken", "")
        tx = state["transactions"].get(token)
        if not tx:
            return error(401, "E0000011", "Invalid token provided")
        user = tx["user"]
        factor = next((f for f in cfg()["users"][user].get("factors", []) if f.get("id") == fid), None)
        if not factor:
            return error(404, "E0000007", "Not found: Resource not found: factor")
        kind = factor["type"]
        finish = (lambda: step_up_done(user, token)) if tx["purpose"] == "step-up" else (lambda: success(user, token))
        if kind == "webauthn":
            # What the widget posts after navigator.credentials.get(); the simulator trusts it.
            if body.get("clientData") and body.get("authenticatorData") and body.get("signatureData"):
                state["stats"]["webauthn"] = state["stats"].get("webauthn", 0) + 1
                return finish()
            return error(403, "E0000068", "Invalid Passcode/Answer")
        if kind == "token:software:totp":
            code = body.get("passCode", "")
            ok = any(saml.totp(factor["secret"].encode(), time.time() + d * 30) == code for d in (-1, 0, 1))
            return finish() if ok else error(403, "E0000068", "Invalid Passcode/Answer",
                                              ["Your passcode doesn't match our records. Please try again."])
        if kind in ("sms", "call", "email"):
            if "passCode" not in body:
                tx["sent"] = True
                doc = mfa_required(user, token)
                doc.update(status="MFA_CHALLENGE", factorResult="CHALLENGE",
                           _links={"next": {"name": "verify", "href": f"{base()}/api/v1/authn/factors/{fid}/verify"}})
                return doc
            if not tx["sent"]:
                return error(403, "E0000068", "Invalid Passcode/Answer")
            return finish() if body["passCode"] == factor["code"] else error(403, "E0000068", "Invalid Passcode/Answer")
        if kind == "push":
            tx["polls"] += 1
            state["stats"]["polls"] += 1
            outcome = factor.get("result", "approve")
            if tx["polls"] > factor.get("polls", 2):
                if outcome == "approve":
                    return finish()
                result = "REJECTED" if outcome == "reject" else "TIMEOUT"
            else:
                result = "WAITING"
            challenge = {"correctAnswer": factor["number"]} if "number" in factor else None
            doc = {"stateToken": token, "status": "MFA_CHALLENGE", "factorResult": result,
                   "_embedded": {"factor": {"id": fid, "factorType": "push", "provider": "OKTA",
                                            "_embedded": {"challenge": challenge} if challenge else {}}},
                   "_links": {"next": {"name": "poll", "href": f"{base()}/api/v1/authn/factors/{fid}/verify",
                                       "hints": {"allow": ["POST"]}},
                              "cancel": {"href": f"{base()}/api/v1/authn/cancel"}}}
            return doc
        return error(400, "E0000001", "Api validation failed: factorType")

    def step_up_done(user, token):
        """As Okta answers a step-up: SUCCESS without a sessionToken, and a link to follow."""
        for s in state["sessions"].values():
            if s.get("pending_step_up") == token:
                s["stepped_up"] = True
        state["transactions"].pop(token, None)
        state["step_up_redirects"] = state.get("step_up_redirects", {})
        state["step_up_redirects"][token] = user
        return {"expiresAt": "2030-01-01T00:00:00.000Z", "status": "SUCCESS",
                "_embedded": {"user": {"profile": {"login": user}}},
                "_links": {"next": {"name": "original", "href": f"{base()}/login/step-up/redirect?stateToken={token}",
                                    "hints": {"allow": ["GET"]}}}}

    @app.get("/login/step-up/redirect")
    def step_up_redirect():
        if state.get("step_up_redirects", {}).pop(request.args.get("stateToken", ""), None) is None:
            return redirect("/login/login.htm", code=302)
        return redirect(cfg().get("app_path", "/home/amazon_aws/0oa1b2c3d4AWS/272"), code=302)

    @app.get("/login/sessionCookieRedirect")
    def cookie_redirect():
        token = request.args.get("token", "")
        user = state["tokens"].pop(token, None)
        target = request.args.get("redirectUrl", "/")
        if not user:
            return redirect("/login/login.htm", code=302)
        existing = live_session()
        if existing and existing["user"] == user:
            existing["stepped_up"] = True
            sid = request.cookies.get("sid")
        else:
            sid = "102" + rnd.token_urlsafe(20)
            state["sessions"][sid] = {"user": user, "expires": time.time() + 7200, "stepped_up": not cfg()["step_up"] or False}
            state["sessions"][sid]["stepped_up"] = True
        resp = redirect(target, code=302)
        resp.set_cookie("sid", sid, path="/", httponly=True)
        return resp



    # ---- Identity Engine: device authorization, tokens, Web SSO ----

    def issue_tokens(user, scopes):
        now = int(time.time())
        lifetime = cfg()["access_token_lifetime"]
        access = jwt({"ver": 1, "jti": "AT." + rnd.token_urlsafe(16), "iss": base(), "aud": base(), "iat": now,
                      "exp": now + lifetime, "cid": cfg()["oidc_client_id"], "uid": "00u" + user, "scp": scopes, "sub": user})
        ident = jwt({"sub": "00u" + user, "ver": 1, "iss": base(), "aud": cfg()["oidc_client_id"], "iat": now,
                     "exp": now + 3600, "amr": ["pwd", "mfa"], "idp": "00o" + "simulated", "auth_time": now})
        state["access"][access] = {"user": user, "expires": now + lifetime}
        doc = {"token_type": "Bearer", "expires_in": lifetime, "access_token": access, "scope": " ".join(scopes), "id_token": ident}
        if "offline_access" in scopes:
            refresh = rnd.token_urlsafe(32)
            state["refresh"][refresh] = {"user": user, "scopes": scopes}
            doc["refresh_token"] = refresh
        if "device_sso" in scopes:
            doc["device_secret"] = rnd.token_urlsafe(32)
        return doc

    def saml_for(user):
        roles = cfg()["users"][user].get("roles") or cfg()["roles"]
        xml = saml.response_xml(base() + "/exk" + cfg()["federation_app_id"], user, roles,
                                session_duration=cfg()["session_duration"], partition=cfg()["partition"])
        state["stats"]["saml_issued"] += 1
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html")

    @app.post("/oauth2/v1/device/authorize")
    def device_authorize():
        if not cfg()["identity_engine"]:
            return oauth_error("invalid_client", "Client authentication failed.", 401)
        if request.form.get("client_id") != cfg()["oidc_client_id"]:
            return oauth_error("invalid_client", "Invalid value for 'client_id' parameter.", 401)
        scopes = request.form.get("scope", "").split()
        if not {"openid", "okta.apps.sso"} <= set(scopes):
            return oauth_error("invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
        if any(sc not in cfg()["allowed_scopes"] for sc in scopes):
            return oauth_error("invalid_scope", "One or more scopes are not configured for the authorization server resource.")
        state["stats"]["device_authorize"] += 1
        device_code = rnd.token_hex(18)
        user_code = "".join(rnd.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(8))
        state["devices"][device_code] = {"user_code": user_code, "scopes": scopes, "status": "pending", "user": None,
                                         "expires": time.time() + cfg()["device_expires_in"],
                                         "interval": cfg()["device_min_interval"] or cfg()["device_interval"],
                                         "last_poll": 0.0}
        answer = {"device_code": device_code, "user_code": user_code, "verification_uri": base() + "/activate",
                  "verification_uri_complete": base() + "/activate?user_code=" + user_code,
                  "expires_in": cfg()["device_expires_in"], "interval": cfg()["device_interval"]}
        # A hostile org: any field of the answer replaced as a test says ("{code}" stands for the user code).
        for key, value in (cfg().get("device_answer") or {}).items():
            answer[key] = value.replace("{code}", user_code) if isinstance(value, str) else value
        return answer

    @app.post("/oauth2/v1/token")
    def token():
        f = request.form
        if f.get("client_id") != cfg()["oidc_client_id"]:
            return oauth_error("invalid_client", "Invalid value for 'client_id' parameter.", 401)
        grant = f.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            state["stats"]["device_polls"] += 1
            d = state["devices"].get(f.get("device_code", ""))
            if not d or d["expires"] < time.time():
                return oauth_error("expired_token", "The device code has expired.")
            now = time.time()
            too_soon = now - d["last_poll"] < d["interval"] - 0.05
            d["last_poll"] = now
            if d["status"] == "denied":
                return oauth_error("access_denied", "The resource owner or authorization server denied the request.")
            if too_soon:
                state["stats"]["slow_down"] += 1
                return oauth_error("slow_down", "The client is polling too frequently.")
            if d["status"] == "pending":
                return oauth_error("authorization_pending", "The device authorization is pending. Please try again later.")
            state["devices"].pop(f["device_code"])
            return issue_tokens(d["user"], d["scopes"])
        if grant == "refresh_token":
            state["stats"]["refresh"] += 1
            r = state["refresh"].pop(f.get("refresh_token", ""), None)   # rotation: one use each
            if not r:
                return oauth_error("invalid_grant", "The refresh token is invalid or expired.")
            return issue_tokens(r["user"], r["scopes"])
        if grant == "urn:ietf:params:oauth:grant-type:token-exchange":
            if f.get("actor_token_type") != "urn:ietf:params:oauth:token-type:access_token" or \
               f.get("subject_token_type") != "urn:ietf:params:oauth:token-type:id_token" or \
               f.get("requested_token_type") != "urn:okta:oauth:token-type:web_sso_token":
                return oauth_error("invalid_request", "The token types are not supported.")
            if f.get("audience") != "urn:okta:apps:" + cfg()["federation_app_id"]:
                return oauth_error("invalid_target", "The audience is not a Web SSO app of this client.")
            a = state["access"].get(f.get("actor_token", ""))
            if not a or a["expires"] < time.time():
                return oauth_error("invalid_grant", "The actor_token is invalid or expired.")
            state["stats"]["exchange"] += 1
            sso = rnd.token_urlsafe(24)
            state["web_sso"][sso] = {"user": a["user"], "expires": time.time() + 300}
            return {"token_type": "N_A", "expires_in": 300, "access_token": sso,
                    "issued_token_type": "urn:okta:oauth:token-type:web_sso_token"}
        return oauth_error("unsupported_grant_type", f"The grant type '{grant}' is not supported.")

    @app.get("/login/token/sso")
    def token_sso():
        s = state["web_sso"].pop(request.args.get("token", ""), None)   # single use
        if not s or s["expires"] < time.time():
            return Response("<html><body><h1>Access denied</h1><p>The token is invalid or has expired.</p></body></html>",
                            status=403, content_type="text/html")
        return saml_for(s["user"])

    def device_by_code(code):
        return next((d for d in state["devices"].values() if d["user_code"] == code), None)

    @app.post("/_sim/device/approve")
    def device_approve():
        body = request.get_json(force=True)
        d = device_by_code(body["user_code"])
        if not d:
            return {"ok": False}, 404
        d.update(status="approved", user=body.get("user", "alice"))
        return {"ok": True}

    @app.post("/_sim/device/deny")
    def device_deny():
        d = device_by_code(request.get_json(force=True)["user_code"])
        if not d:
            return {"ok": False}, 404
        d["status"] = "denied"
        return {"ok": True}

    @app.get("/_sim/device/pending")
    def device_pending():
        return {"user_codes": [d["user_code"] for d in state["devices"].values() if d["status"] == "pending"]}

    @app.post("/_sim/revoke-refresh-tokens")
    def revoke_refresh():
        state["refresh"].clear()
        return {"ok": True}

    @app.post("/_sim/expire-access-tokens")
    def expire_access():
        state["access"].clear()
        return {"ok": True}

    @app.post("/_sim/require-step-up")
    def require_step_up():
        for s in state["sessions"].values():
            s["stepped_up"] = False
        cfg()["step_up"] = True
        return {"ok": True}

    add_control_routes(app, state, default_config, transient=("transactions", "tokens", "devices", "access", "refresh", "web_sso"), sessions="sessions")
    return app
