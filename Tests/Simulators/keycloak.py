"""A Keycloak simulator: the browser login of Keycloak's base login theme, over plain
HTTP on loopback. It reproduces the endpoints, form ids, field names, cookies, status
codes and error spans a headless client meets:

  GET  /realms/{realm}/protocol/saml/clients/{client}   IdP-initiated SSO (the SAML URL)
  POST /realms/{realm}/login-actions/authenticate        every login step
  cookies AUTH_SESSION_ID, KC_RESTART (login in progress), KEYCLOAK_IDENTITY, KEYCLOAK_SESSION (logged in)

Test control endpoints live under /_sim/."""
import html
import secrets as rnd
import time
import uuid

from flask import Flask, Response, request

import saml
from control import add_control_routes, autofill_script

THEME_HEAD = ('<!DOCTYPE html>\n<html class="login-pf" lang="en"><head><meta charset="utf-8">'
              '<meta name="robots" content="noindex, nofollow"><title>{title}</title>'
              '<link href="/resources/x/login/keycloak.v2/css/styles.css" rel="stylesheet"/></head>'
              '<body id="keycloak-bg"><div class="pf-v5-c-login"><div class="pf-v5-c-login__container">'
              '<header id="kc-header" class="pf-v5-c-login__header"><div id="kc-header-wrapper">{realm}</div></header>'
              '<main class="pf-v5-c-login__main"><div class="pf-v5-c-login__main-header">'
              '<h1 class="pf-v5-c-title pf-m-3xl" id="kc-page-title">{heading}</h1></div>'
              '<div class="pf-v5-c-login__main-body">')
THEME_TAIL = '</div></main></div></div></body></html>'


def default_config():
    return {
        "realm": "acme",
        "client": "urn:amazon:webservices",
        "users": {},            # name -> {"password", "otp": [{"id","label","secret"}], "webauthn": bool, "roles": [...]}
        # The OTP page's generation: "keycloak.v2" (PatternFly 5 tiles, the field's own error
        # container after an empty one), "clickable" (entries holding hidden credential ids, one
        # hidden selectedCredentialId filled by script), "keycloak3" (kc-totp-login-form / totp).
        "theme": "tiles",
        "roles": [],            # default roles: [role_arn, provider_arn] pairs
        "session_duration": None,
        "kerberos": False,      # answer the first GET with the 401 bypass-Kerberos page
        "partition": "aws",
        "session_lifetime": 36000,
        "locked": [],
        # Browser login's test switch: {"username", "password"} fills and submits the login
        # page from a script, as a password manager would, and "webauthn" answers the
        # security-key page as a touch of the key would. Headless clients never run it.
        "autofill": None,
    }


def create_app():
    app = Flask("keycloak-sim")
    state = {"config": default_config(), "auth": {}, "sessions": {}, "stats": {"password_posts": 0, "otp_posts": 0, "saml_issued": 0, "webauthn_posts": 0}}

    def cfg():
        return state["config"]

    def page(title, heading, body, status=200, headers=None):
        text = THEME_HEAD.format(title=html.escape(title), realm=html.escape(cfg()["realm"]), heading=html.escape(heading)) + body + THEME_TAIL
        return Response(text, status=status, headers=headers or {}, content_type="text/html;charset=utf-8")

    def login_action(auth):
        auth["code"] = rnd.token_urlsafe(24)
        return (f"/realms/{cfg()['realm']}/login-actions/authenticate?session_code={auth['code']}"
                f"&execution={auth['execution']}&client_id={cfg()['client']}&tab_id={auth['tab']}")

    def login_page(auth, error=None, username="", status=200, fields="both"):
        """fields: "both" (login.ftl), "username" (login-username.ftl) or "password" (login-password.ftl)."""
        err = ""
        if error:
            err = f'<span id="input-error" class="pf-v5-c-helper-text__item-text pf-m-error" aria-live="polite">{html.escape(error)}</span>'
        body = (
            '<div id="kc-form"><div id="kc-form-wrapper">'
            f'<form id="kc-form-login" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" action="{html.escape(login_action(auth))}" method="post" novalidate="novalidate">'
            + ('<div class="pf-v5-c-form__group"><label for="username" class="pf-v5-c-form__label">Username or email</label>'
               f'<span class="pf-v5-c-form-control"><input id="username" name="username" value="{html.escape(username)}" type="text" autocomplete="username" autofocus aria-invalid="{"true" if error else ""}"/></span>'
               '</div>' if fields != "password" else "")
            + ('<div class="pf-v5-c-form__group"><label for="password" class="pf-v5-c-form__label">Password</label>'
               '<span class="pf-v5-c-form-control"><input id="password" name="password" type="password" autocomplete="current-password"/></span></div>'
               if fields != "username" else "")
            + err +
            '<input type="hidden" id="id-hidden-input" name="credentialId"/>'
            '<div id="kc-form-buttons" class="pf-v5-c-form__group"><button class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit">Sign In</button></div>'
            '</form></div></div>')
        fill = cfg().get("autofill") or {}
        if "password" in fill:
            wanted = {"username": fill.get("username", "")} if fields != "password" else {}
            if fields != "username":
                wanted["password"] = fill["password"]
            body += autofill_script(wanted, "kc-form-login")
        return page(f"Sign in to {cfg()['realm']}", "Sign in to your account", body, status=status)

    def otp_page(auth, user, error=None):
        creds = user.get("otp", [])
        theme = cfg().get("theme", "tiles")
        if theme == "keycloak3":
            err = f'<div class="alert alert-error"><span class="kc-feedback-text">{html.escape(error)}</span></div>' if error else ""
            body = (f'{err}<form id="kc-totp-login-form" class="form-horizontal" action="{html.escape(login_action(auth))}" method="post">'
                    '<div class="form-group"><label for="totp" class="control-label">One-time code</label>'
                    '<input id="totp" name="totp" type="text" class="form-control"/></div>'
                    '<input class="btn btn-primary btn-lg" name="login" id="kc-login" type="submit" value="Log In"/></form>')
            return page(f"Log in to {cfg()['realm']}", "Log in to your account", body)
        if theme in ("tiles", "tiles-pf5"):
            # keycloak.v2's login-otp.ftl: tiles whose onclick calls toggleOTP(N, 'ID'), the label in
            # the tile's title; one hidden selectedCredentialId, pre-filled with the first id. The
            # message is marked by class only (kc-feedback-text in an alert), no id.
            title = "pf-v5-c-tile__title" if theme == "tiles-pf5" else "pf-c-tile__title"
            entries = "".join(
                f'<div id="kc-otp-credential-{i}" class="pf-c-tile{" pf-m-selected" if i == 0 else ""}" onclick="toggleOTP({i}, \'{c["id"]}\')">'
                f'<div class="pf-c-tile__header"><div class="pf-c-tile__icon"><i class="fa fa-mobile" aria-hidden="true"></i></div>'
                f'<div class="{title}">{html.escape(c["label"])}</div></div></div>' for i, c in enumerate(creds)) if len(creds) > 1 else ""
            err = (f'<div class="alert-error pf-c-alert pf-m-inline pf-m-danger"><span class="kc-feedback-text">{html.escape(error)}</span></div>'
                   if error else "")
            body = (f'{err}<form id="kc-otp-login-form" class="pf-c-form" action="{html.escape(login_action(auth))}" method="post">'
                    f'<input id="selectedCredentialId" type="hidden" name="selectedCredentialId" value="{creds[0]["id"] if creds else ""}">'
                    f'<div class="pf-c-form__group">{entries}</div>'
                    '<label for="otp" class="pf-c-form__label">One-time code</label><input id="otp" name="otp" autocomplete="off" type="text" autofocus/>'
                    '<input name="login" id="kc-login" type="submit" value="Sign In"/></form>'
                    '<script>function toggleOTP(i, id) { document.getElementById("selectedCredentialId").value = id; }</script>')
            return page(f"Sign in to {cfg()['realm']}", "Sign in to your account", body)
        if theme == "clickable":
            entries = "".join(
                f'<div class="kc-select-otp-list" onclick="document.getElementById(\'selectedCredentialId\').value=this.firstChild.value">'
                f'<input type="hidden" value="{c["id"]}"><div class="kc-select-otp-list-item"><span class="kc-otp-circle"></span>'
                f'<h2 class="kc-select-otp-heading">{html.escape(c["label"])}</h2></div></div>' for c in creds) if len(creds) > 1 else ""
            err = f'<span id="input-error-otp-code" class="kc-feedback-text">{html.escape(error)}</span>' if error else ""
            body = (f'<form id="kc-otp-login-form" action="{html.escape(login_action(auth))}" method="post">{entries}'
                    f'<input id="selectedCredentialId" type="hidden" name="selectedCredentialId" value="{creds[0]["id"] if creds else ""}">'
                    f'<input id="otp" name="otp" autocomplete="off" type="text"/>{err}'
                    '<input name="login" id="kc-login" type="submit" value="Sign In"/></form>')
            return page(f"Sign in to {cfg()['realm']}", "Sign in to your account", body)
        choices = ""
        if len(creds) > 1:
            items = []
            for i, c in enumerate(creds):
                checked = ' checked="checked"' if i == 0 else ""
                items.append(
                    f'<input id="kc-otp-credential-{i}" class="pf-v5-c-radio__input" type="radio" name="selectedCredentialId" value="{c["id"]}"{checked}>'
                    f'<label for="kc-otp-credential-{i}" class="pf-v5-c-tile" tabindex="{i}"><span class="pf-v5-c-tile__header">'
                    f'<span class="pf-v5-c-tile__title">{html.escape(c["label"])}</span></span></label>')
            choices = '<div class="pf-v5-c-form__group">' + "".join(items) + "</div>"
        # keycloak.v2: an empty container comes first; the message is in the field's own element.
        err = '<div id="input-error-container-otp" class="pf-v5-c-helper-text"></div>'
        if error:
            err += f'<span id="input-error-otp-code" class="pf-v5-c-helper-text__item-text pf-m-error" aria-live="polite">{html.escape(error)}</span>'
        body = (
            f'<form id="kc-otp-login-form" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" action="{html.escape(login_action(auth))}" method="post">'
            f'<input id="selectedCredentialId" type="hidden" name="selectedCredentialId" value="{creds[0]["id"] if creds else ""}">'
            f'{choices}'
            '<div class="pf-v5-c-form__group"><label for="otp" class="pf-v5-c-form__label">One-time code</label>'
            f'<span class="pf-v5-c-form-control"><input id="otp" name="otp" autocomplete="off" type="text" autofocus aria-invalid="{"true" if error else ""}"/></span>{err}</div>'
            '<div id="kc-form-buttons"><input class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit" value="Sign In"/></div>'
            '</form>')
        return page(f"Sign in to {cfg()['realm']}", "Sign in to your account", body)

    def webauthn_page(auth):
        body = (
            f'<form id="webauth" action="{html.escape(login_action(auth))}" method="post">'
            '<input type="hidden" id="clientDataJSON" name="clientDataJSON"/>'
            '<input type="hidden" id="authenticatorData" name="authenticatorData"/>'
            '<input type="hidden" id="signature" name="signature"/>'
            '<input type="hidden" id="credentialId" name="credentialId"/>'
            '<input type="hidden" id="userHandle" name="userHandle"/>'
            '<input type="hidden" id="error" name="error"/></form>'
            '<div id="kc-form-buttons"><input id="authenticateWebAuthnButton" type="button" autofocus="autofocus" value="Sign in with Security Key"/></div>')
        if (cfg().get("autofill") or {}).get("webauthn"):
            # What navigator.credentials.get() hands the page after a touch of the key.
            body += autofill_script({"clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0", "authenticatorData": "SZYN5YgOjGh0NBcP",
                                     "signature": "MEUCIQ", "credentialId": "sim-key-1", "userHandle": ""}, "webauth")
        return page("Security Key login", "Security Key login", body)

    def saml_page(username):
        user = cfg()["users"][username]
        roles = user.get("roles") or cfg()["roles"]
        xml = saml.response_xml(f"http://127.0.0.1/realms/{cfg()['realm']}", username, roles,
                                session_duration=user.get("session_duration", cfg()["session_duration"]),
                                partition=cfg()["partition"], encrypted=cfg().get("encrypted", False))
        state["stats"]["saml_issued"] += 1
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html;charset=utf-8")

    def set_login_cookies(resp, auth):
        path = f"/realms/{cfg()['realm']}/"
        resp.set_cookie("AUTH_SESSION_ID", f"{auth['id']}.keycloak-0", path=path, httponly=True)
        resp.set_cookie("KC_RESTART", "eyJhbGciOiJIUzI1NiJ9." + rnd.token_urlsafe(32), path=path, httponly=True)
        return resp

    def logged_in(resp, username):
        sid = str(uuid.uuid4())
        state["sessions"][sid] = {"user": username, "expires": time.time() + cfg()["session_lifetime"]}
        path = f"/realms/{cfg()['realm']}/"
        resp.set_cookie("KEYCLOAK_IDENTITY", "eyJhbGciOiJIUzI1NiJ9." + sid, path=path, httponly=True)
        resp.set_cookie("KEYCLOAK_SESSION", f"{cfg()['realm']}/{uuid.uuid4()}/{sid}", path=path, max_age=cfg()["session_lifetime"])
        resp.delete_cookie("KC_RESTART", path=path)
        return resp

    def current_session():
        ident = request.cookies.get("KEYCLOAK_IDENTITY", "")
        sid = ident.split(".", 1)[-1]
        s = state["sessions"].get(sid)
        if s and s["expires"] > time.time():
            return s
        return None

    @app.get("/realms/<realm>/protocol/saml/clients/<client>")
    def sso(realm, client):
        if realm != cfg()["realm"]:
            return page("Error", "We are sorry...", '<p id="kc-error-message" class="instruction">Realm does not exist</p>', status=404)
        s = current_session()
        if s:
            return saml_page(s["user"])
        auth = {"id": str(uuid.uuid4()), "execution": str(uuid.uuid4()), "tab": rnd.token_urlsafe(8), "user": None,
                "kerberos_pending": cfg()["kerberos"]}
        state["auth"][auth["id"]] = auth
        if auth["kerberos_pending"]:
            body = ('<div id="kc-info-message"><p class="instruction">Your browser is not set up for Kerberos. Please click continue to log in in another way.</p>'
                    f'<form class="form-actions" action="{html.escape(login_action(auth))}" method="POST">'
                    '<div id="kc-form-buttons"><input name="continue" id="kc-login" type="submit" value="Continue"/></div></form></div>')
            resp = page("Kerberos Unsupported", "Kerberos Unsupported", body, status=401, headers={"WWW-Authenticate": "Negotiate"})
        else:
            resp = login_page(auth, fields="username" if cfg().get("username_first") else "both")
        return set_login_cookies(resp, auth)

    @app.post("/realms/<realm>/login-actions/authenticate")
    def authenticate(realm):
        cookie = request.cookies.get("AUTH_SESSION_ID", "").split(".")[0]
        auth = state["auth"].get(cookie)
        if not auth:
            return page("Error", "We are sorry...", '<p id="kc-error-message" class="instruction">Cookie not found. Please make sure cookies are enabled in your browser.</p>', status=400)
        if request.args.get("session_code") != auth.get("code"):
            return page("Error", "We are sorry...", '<p id="kc-error-message" class="instruction">Your login attempt timed out. Login will start from the beginning.</p>', status=400)
        form = request.form
        if auth.get("kerberos_pending"):
            auth["kerberos_pending"] = False
            return login_page(auth, fields="username" if cfg().get("username_first") else "both")
        if cfg().get("username_first") and auth["user"] is None and "password" not in form:
            name = form.get("username", "")
            if name not in cfg()["users"]:
                return login_page(auth, "Invalid username or email.", name, status=200, fields="username")
            auth["pending_user"] = name
            return login_page(auth, fields="password")
        if auth["user"] is None:
            state["stats"]["password_posts"] += 1
            username, password = form.get("username", auth.get("pending_user", "")), form.get("password", "")
            user = cfg()["users"].get(username)
            if username in cfg()["locked"]:
                return login_page(auth, "Account is disabled, contact your administrator.", username, status=200)
            if not user or user["password"] != password:
                fields = "password" if auth.get("pending_user") else "both"
                return login_page(auth, "Invalid username or password." if fields == "both" else "Invalid password.",
                                  username, status=401, fields=fields)
            auth["user"] = username
            if user.get("webauthn"):
                return webauthn_page(auth)
            if user.get("otp"):
                return otp_page(auth, user)
            return logged_in(saml_page(username), username)
        user = cfg()["users"][auth["user"]]
        if user.get("webauthn"):
            # The simulator trusts any assertion for its one key (a real IdP checks the signature).
            if form.get("credentialId") == "sim-key-1" and form.get("clientDataJSON"):
                state["stats"]["webauthn_posts"] += 1
                return logged_in(saml_page(auth["user"]), auth["user"])
            return webauthn_page(auth)
        state["stats"]["otp_posts"] += 1
        chosen = form.get("selectedCredentialId") or user["otp"][0]["id"]
        cred = next((c for c in user["otp"] if c["id"] == chosen), None)
        code = form.get("otp", form.get("totp", ""))
        valid = cred and any(saml.totp(cred["secret"].encode(), time.time() + d * 30) == code for d in (-1, 0, 1))
        if not valid:
            return otp_page(auth, user, "Invalid authenticator code.")
        return logged_in(saml_page(auth["user"]), auth["user"])

    # ---- test control ----

    add_control_routes(app, state, default_config, transient=("auth",), sessions="sessions")
    return app
