"""An Auth0 simulator: the classic Universal Login (Lock) page a SAML addon sends users to.

  GET  /samlp/{client_id}              the SAML URL; SAMLResponse when the `auth0` session cookie lives
  GET  /login?state&client&protocol    the login page: config in window.atob('BASE64')
  GET  /client/{client_id}.js          Auth0.setClient({... "strategies": [...connections...]})
  POST /usernamepassword/login         JSON login -> a form posting wresult to /login/callback
  POST /login/callback                 sets the session cookie, back to /samlp/{client_id}"""
import base64
import html
import json
import secrets as rnd
import time

from flask import Flask, Response, redirect, request

import saml
from control import add_control_routes


def default_config():
    return {"client_id": "AbCdEf0123456789AbCdEf0123456789", "tenant": "acme", "connection": "Username-Password-Authentication",
            "users": {}, "roles": [], "session_duration": None, "partition": "aws", "blocked": [], "mfa": [],
            # "universal": New Universal Login (/u/login/identifier, /u/login/password), what new
            # tenants get; "classic": the Lock page with its embedded session info.
            "experience": "universal"}


def create_app():
    app = Flask("auth0-sim")
    state = {"config": default_config(), "tx": {}, "sessions": {}, "stats": {"logins": 0, "saml_issued": 0}}

    def cfg():
        return state["config"]

    def base():
        return request.host_url

    @app.get("/samlp/<client_id>")
    def samlp(client_id):
        if client_id != cfg()["client_id"]:
            return Response("invalid client", status=404)
        s = state["sessions"].get(request.cookies.get("auth0", ""))
        if s and s["expires"] > time.time():
            u = cfg()["users"][s["user"]]
            xml = saml.response_xml(f"urn:{cfg()['tenant']}.auth0.com", s["user"], u.get("roles") or cfg()["roles"],
                                    session_duration=cfg()["session_duration"], partition=cfg()["partition"])
            state["stats"]["saml_issued"] += 1
            return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html")
        st = rnd.token_urlsafe(24)
        state["tx"][st] = {"csrf": rnd.token_urlsafe(16)}
        if cfg()["experience"] == "universal":
            return redirect(f"/u/login/identifier?state={st}", code=302)
        resp = redirect(f"/login?state={st}&client={client_id}&protocol=samlp", code=302)
        resp.set_cookie("_csrf", state["tx"][st]["csrf"], path="/usernamepassword/login", httponly=True)
        return resp

    @app.get("/login")
    def login_page():
        st = request.args.get("state", "")
        tx = state["tx"].get(st)
        if not tx:
            return Response("Invalid state", status=400)
        config = {"icon": "https://cdn.auth0.com/styleguide/components/1.0.8/media/logos/img/badge.png",
                  "assetsUrl": "", "auth0Domain": request.host, "auth0Tenant": cfg()["tenant"],
                  "clientConfigurationBaseUrl": base(), "callbackOnLocationHash": False,
                  "callbackURL": saml.SIGNIN[cfg()["partition"]], "cdn": "https://cdn.auth0.com/",
                  "clientID": cfg()["client_id"], "dict": {"signin": {"title": cfg()["tenant"]}},
                  "extraParams": {"protocol": "samlp", "response_type": "code", "_csrf": tx["csrf"], "_intstate": "deprecated", "state": st},
                  "internalOptions": {"protocol": "samlp", "response_type": "code", "_csrf": tx["csrf"], "_intstate": "deprecated", "state": st},
                  "widgetUrl": "https://cdn.auth0.com/w2/auth0-widget-5.1.min.js", "isThirdPartyClient": False, "authorizationServer": {}}
        blob = base64.b64encode(json.dumps(config).encode()).decode()
        body = ('<!DOCTYPE html><html><head><title>Sign In with Auth0</title></head><body>'
                '<script src="https://cdn.auth0.com/js/lock/11.34/lock.min.js"></script>'
                f"<script>var config = JSON.parse(decodeURIComponent(escape(window.atob('{blob}'))));"
                "var lock = new Auth0Lock(config.clientID, config.auth0Domain, {});lock.show();</script></body></html>")
        return Response(body, content_type="text/html")

    @app.get("/client/<client_id>.js")
    def client_js(client_id):
        doc = {"id": client_id, "tenant": cfg()["tenant"], "subscription": "free", "authorize": base() + "authorize",
               "callback": saml.SIGNIN[cfg()["partition"]], "hasAllowedOrigins": False,
               "strategies": [{"name": "google-oauth2", "connections": [{"name": "google-oauth2"}]},
                              {"name": "auth0", "connections": [{"name": cfg()["connection"], "forgot_password_url": base() + "lo/forgot",
                                                                 "showSignup": True, "showForgot": True}]}]}
        return Response(f"Auth0.setClient({json.dumps(doc)});", content_type="application/javascript")

    @app.post("/usernamepassword/login")
    def login():
        state["stats"]["logins"] += 1
        body = request.get_json(force=True, silent=True) or {}
        tx = state["tx"].get(body.get("state", ""))
        if not tx or body.get("_csrf") != tx["csrf"] or body.get("client_id") != cfg()["client_id"]:
            return {"name": "BadRequestError", "code": "invalid_request", "description": "Invalid state", "statusCode": 400}, 400
        if body.get("connection") != cfg()["connection"]:
            return {"name": "BadRequestError", "code": "invalid_connection", "description": "connection not found", "statusCode": 400}, 400
        user = body.get("username", "")
        if user in cfg()["blocked"]:
            return {"name": "AnomalyDetected", "code": "too_many_attempts",
                    "description": "Your account has been blocked after multiple consecutive login attempts.", "statusCode": 429}, 429
        u = cfg()["users"].get(user)
        if not u or u["password"] != body.get("password"):
            return {"name": "ValidationError", "code": "invalid_user_password", "description": "Wrong email or password.", "statusCode": 400}, 400
        ticket = rnd.token_urlsafe(24)
        tx["user"], tx["ticket"] = user, ticket
        wresult = f"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{ticket}.sig"
        return Response(
            f'<form method="post" name="hiddenform" action="{base()}login/callback">'
            '<input type="hidden" name="wa" value="wsignin1.0">'
            f'<input type="hidden" name="wresult" value="{html.escape(wresult)}">'
            f'<input type="hidden" name="wctx" value="{html.escape(json.dumps({"strategy": "auth0", "auth0Client": "", "tenant": cfg()["tenant"], "connection": cfg()["connection"], "client_id": cfg()["client_id"], "response_type": "code", "protocol": "samlp", "state": body["state"]}))}">'
            '<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form>'
            '<script type="text/javascript">window.setTimeout(function() {document.forms[0].submit();}, 0);</script>',
            content_type="text/html")

    @app.post("/login/callback")
    def callback():
        parts = request.form.get("wresult", "").split(".")
        ticket = parts[1] if len(parts) == 3 else ""
        tx = next((t for t in state["tx"].values() if t.get("ticket") == ticket), None)
        if not tx:
            return Response("invalid ticket", status=400)
        tx["ticket"] = None
        if tx["user"] in cfg()["mfa"]:
            return redirect("/mfa?state=x", code=302)
        sid = rnd.token_urlsafe(24)
        state["sessions"][sid] = {"user": tx["user"], "expires": time.time() + 3600 * 24}
        resp = redirect(f"/samlp/{cfg()['client_id']}", code=302)
        resp.set_cookie("auth0", sid, path="/", httponly=True)
        return resp

    def ulp_page(kind, st, error=None, username=""):
        """A New Universal Login page: a plain form posting state, the field(s) and action=default."""
        field = ('<input class="input" name="username" id="username" type="text" value="%s" autocomplete="username" autocapitalize="none" spellcheck="false" autofocus>' % html.escape(username)
                 if kind == "identifier" else
                 '<input type="hidden" name="username" value="%s"><input class="input" name="password" id="password" type="password" autocomplete="current-password">' % html.escape(username))
        err = (f'<span id="error-element-{"username" if kind == "identifier" else "password"}" class="ulp-input-error-message" '
               f'data-error-code="wrong-credentials">{html.escape(error)}</span>' if error else "")
        body = ('<!DOCTYPE html><html lang="en"><head><title>Log in | acme</title></head><body><main class="login">'
                f'<form method="POST" class="_form-login-{kind}" data-form-primary="true">'
                f'<input type="hidden" name="state" value="{html.escape(st)}">'
                f'{field}{err}'
                '<input type="hidden" name="js-available" value="false"><input type="hidden" name="webauthn-available" value="false">'
                '<input type="hidden" name="is-brave" value="false"><input type="hidden" name="webauthn-platform-available" value="false">'
                '<div class="action-button"><button type="submit" name="action" value="default" class="button-login" data-action-button-primary="true">Continue</button></div>'
                '</form></main></body></html>')
        return Response(body, content_type="text/html")

    @app.route("/u/login/identifier", methods=["GET", "POST"])
    def ulp_identifier():
        st = request.args.get("state", "")
        tx = state["tx"].get(st)
        if not tx:
            return Response("Invalid state", status=400)
        if request.method == "GET":
            return ulp_page("identifier", st)
        if request.form.get("state") != st or request.form.get("action") != "default":
            return Response("Bad request", status=400)
        tx["username"] = request.form.get("username", "")
        return redirect(f"/u/login/password?state={st}", code=302)

    @app.route("/u/login/password", methods=["GET", "POST"])
    def ulp_password():
        st = request.args.get("state", "")
        tx = state["tx"].get(st)
        if not tx or "username" not in tx:
            return Response("Invalid state", status=400)
        if request.method == "GET":
            return ulp_page("password", st, username=tx["username"])
        if request.form.get("state") != st or request.form.get("action") != "default":
            return Response("Bad request", status=400)
        state["stats"]["logins"] += 1
        user = tx["username"]
        if user in cfg()["blocked"]:
            return ulp_page("password", st, "Your account has been blocked after multiple consecutive login attempts.", user)
        u = cfg()["users"].get(user)
        if not u or u["password"] != request.form.get("password"):
            return ulp_page("password", st, "Wrong email or password", user)
        if user in cfg()["mfa"]:
            return redirect(f"/u/mfa-otp-challenge?state={st}", code=302)
        sid = rnd.token_urlsafe(24)
        state["sessions"][sid] = {"user": user, "expires": time.time() + 3600 * 24}
        resp = redirect(f"/samlp/{cfg()['client_id']}", code=302)
        resp.set_cookie("auth0", sid, path="/", httponly=True)
        return resp

    @app.get("/u/mfa-otp-challenge")
    def ulp_mfa():
        return Response('<html><body><main><form method="POST"><input name="code" type="text"><button type="submit" name="action" value="default">Continue</button></form></main></body></html>',
                        content_type="text/html")

    @app.get("/mfa")
    def mfa():
        return Response('<html><body><div id="guardian-widget"></div><script src="https://cdn.auth0.com/js/guardian.js"></script></body></html>',
                        content_type="text/html")

    add_control_routes(app, state, default_config, transient=("tx",), sessions="sessions")
    return app
