"""A Google Workspace SAML IdP simulator: the form-driven sign-in (email page, password page,
2-Step Verification pages by action path) that ends in the AWS SAMLResponse form.

  GET  /o/saml2/initsso?idpid&spid&forceauthn    the SAML URL; SAMLResponse when the SID cookie lives
  GET  /ServiceLogin                             email page (form#gaia_loginform, input Email)
  POST /signin/v1/lookup                         -> password page (input Passwd) or .error-msg
  POST /signin/challenge/sl/password             -> 2SV page, captcha page, or back with .error-msg
  POST /signin/challenge/{totp|ipp|az|sk|bc}/N   2-Step Verification
The current generation ("generation": "v3", the default) signs in at /v3/signin/identifier
(field `identifier`) and /v3/signin/challenge/pwd, forms whose button posts action=1; its phone
prompt names a transaction (data-tx-id, data-api-key) that the client awaits at
/cryptauth/v1/authzen/awaittx (HTTP 500 until the person answers, then {"txToken"})."""
import html
import secrets as rnd
import time

from flask import Flask, Response, redirect, request

import saml
from control import add_control_routes


def default_config():
    # number_markup: where the v3 phone prompt shows the number to tap: "feLNVc-samp" (today),
    # "feLNVc-div", or "EKvSSd" (older). sms_send_step: the SMS challenge first shows a "send a
    # text message" page (SendMethod=SMS, no code field), as today; False: the code page at once.
    # A user whose two_step is a list first gets "choose how you want to sign in": selection_markup
    # "forms" (one form per method, data-challengeentry and data-challengetype, as the chooser
    # serves without scripts) or "script" (entries a script handles, no forms).
    return {"users": {}, "roles": [], "session_duration": None, "partition": "aws", "captcha": False, "generation": "v3",
            "number_markup": "feLNVc-samp", "sms_send_step": True, "selection_markup": "forms"}


PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        '<div class="wrapper"><div class="card signin-card">{body}</div></div></body></html>')


def create_app():
    app = Flask("google-sim")
    state = {"config": default_config(), "tx": {}, "sessions": {}, "stats": {"password_posts": 0, "pin_posts": 0, "prompt_polls": 0, "sms_sent": 0}}

    def cfg():
        return state["config"]

    def hidden(tx_id, extra=""):
        return (f'<input type="hidden" name="GALX" value="{rnd.token_urlsafe(8)}">'
                f'<input type="hidden" name="gxf" value="AFoagUV{rnd.token_urlsafe(12)}:{int(time.time())}">'
                f'<input type="hidden" name="continue" value="https://accounts.google.com/o/saml2/continue">'
                f'<input type="hidden" name="TL" value="{tx_id}">'
                '<input type="hidden" name="_utf8" value="&#9731;"><input type="hidden" name="bgresponse" value="js_disabled">' + extra)

    def render(title, body):
        return Response(PAGE.format(title=html.escape(title), body=body), content_type="text/html; charset=UTF-8")

    def email_page(tx_id, error=""):
        err = f'<span role="alert" class="error-msg" id="errormsg_0_Email">{html.escape(error)}</span>' if error else ""
        return render("Sign in - Google Accounts",
                      f'<form novalidate method="post" action="/signin/v1/lookup" id="gaia_loginform">{hidden(tx_id)}'
                      f'<input id="Email" type="email" name="Email" value="" spellcheck="false">{err}'
                      '<input id="Passwd-hidden" type="password" name="Passwd-hidden" class="hidden" tabindex="-1">'
                      '<input id="next" name="signIn" type="submit" value="Next"></form>')

    def password_page(tx_id, email, error=""):
        err = f'<span role="alert" class="error-msg" id="errormsg_0_Passwd">{html.escape(error)}</span>' if error else ""
        return render("Sign in - Google Accounts",
                      f'<form novalidate method="post" action="/signin/challenge/sl/password" id="gaia_loginform">{hidden(tx_id)}'
                      f'<input type="hidden" name="Email" value="{html.escape(email)}"><input type="hidden" name="ProfileInformation" value="APMTqu{rnd.token_urlsafe(10)}">'
                      f'<input id="Passwd" type="password" name="Passwd" placeholder="Password">{err}'
                      '<input id="signIn" name="signIn" type="submit" value="Sign in"></form>')

    def captcha_page(tx_id):
        return render("Sign in - Google Accounts",
                      f'<form novalidate method="post" action="/signin/challenge/sl/password" id="gaia_loginform">{hidden(tx_id)}'
                      '<img id="captchaimg" src="/Captcha?v=2&amp;ctoken=x" alt="Visual verification"/>'
                      '<input type="text" name="logincaptcha" id="logincaptcha"><input id="Passwd" type="password" name="Passwd"></form>')

    def v3_page(tx_id, action, field, error=""):
        err = f'<div class="o6cuMc" jsname="B34EJ" aria-live="assertive">{html.escape(error)}</div>' if error else ""
        return render("Sign in - Google Accounts",
                      f'<c-wiz><form method="post" action="{action}" novalidate>{hidden(tx_id)}{field}{err}'
                      '<button type="submit" name="action" value="1" jsname="LgbsSe"><span>Next</span></button></form></c-wiz>')

    def v3_identifier(tx_id, error=""):
        return v3_page(tx_id, "/v3/signin/identifier?flowName=GlifWebSignIn",
                       '<input type="email" name="identifier" autocomplete="username" spellcheck="false">', error)

    def v3_password(tx_id, error=""):
        return v3_page(tx_id, f"/v3/signin/challenge/pwd?TL={tx_id}&flowName=GlifWebSignIn",
                       '<input type="password" name="Passwd" autocomplete="current-password">', error)

    TYPES = {"totp": ("6", "Get a verification code from the Google Authenticator app"),
             "ipp": ("9", "Get a verification code at (•••) •••-••42"),
             "az": ("39", "Tap Yes on your phone or tablet"),
             "sk": ("2", "Use your security key"), "bc": ("8", "Enter one of your 8-digit backup codes")}

    def selection_page(tx_id, kinds):
        numbers = {"totp": 2, "ipp": 3, "az": 4, "sk": 5, "bc": 6}
        path = "/v3/signin/challenge/selection" if cfg()["generation"] == "v3" else "/signin/selectchallenge"
        items = []
        for kind in kinds:
            ctype, label = TYPES[kind]
            n = numbers[kind]
            if cfg().get("selection_markup") == "script":
                items.append(f'<li><div role="link" data-challengetype="{ctype}" data-challengeid="{n}" jsname="EBHGs">'
                             f'{html.escape(label)}</div></li>')
            else:
                extra = (f'<input type="hidden" name="challengeId" value="{n}"><input type="hidden" name="challengeType" value="{ctype}">'
                         '<input type="hidden" name="subAction" value="selectChallenge">')
                items.append(f'<li><form method="post" action="/signin/challenge/{kind}/{n}" data-challengeentry="{n}" '
                             f'data-challengetype="{ctype}">{hidden(tx_id, extra)}<button type="submit">{html.escape(label)}</button></form></li>')
        body = f'<h1>Choose how you want to sign in:</h1><ul>{"".join(items)}</ul>'
        resp = render("2-Step Verification", body)
        resp.headers["X-Sim-Path"] = path
        return resp

    def challenge_page(tx_id, kind, error=""):
        err = f'<span class="error-msg" id="error">{html.escape(error)}</span>' if error else ""
        action = {"totp": "/signin/challenge/totp/2", "ipp": "/signin/challenge/ipp/3", "az": "/signin/challenge/az/4",
                  "sk": "/signin/challenge/sk/5", "bc": "/signin/challenge/bc/6"}[kind]
        extra = f'<input type="hidden" name="challengeId" value="{action.rsplit("/", 1)[1]}"><input type="hidden" name="challengeType" value="{kind}">'
        if kind == "ipp" and cfg().get("sms_send_step", True) and not state["tx"][tx_id].get("sms_sent"):
            # "Get a verification code": a button that sends the text message, no code field yet.
            return render("2-Step Verification", f'<form method="post" id="challenge" action="{action}">{hidden(tx_id, extra)}'
                          '<p>Google will send a verification code to (***) ***-**12.</p>'
                          f'{err}<button type="submit" name="SendMethod" value="SMS">Send</button></form>')
        if kind in ("totp", "ipp", "bc"):
            field = '<input type="tel" name="Pin" id="totpPin" pattern="[0-9 ]*" autocomplete="off">'
            title = "2-Step Verification"
        elif kind == "az":
            tx = state["tx"][tx_id]
            number = tx["user"].get("prompt_number")
            if cfg()["generation"] == "v3":
                tx["await_id"] = tx.get("await_id") or rnd.token_urlsafe(12)
                markup = cfg().get("number_markup", "feLNVc-samp")
                shown = (f'<samp jsname="feLNVc" class="Sevzkc">{number}</samp>' if markup == "feLNVc-samp" else
                         f'<div jsname="feLNVc" class="Sevzkc">{number}</div>' if markup == "feLNVc-div" else
                         f'<div jsname="EKvSSd" class="Sevzkc">{number}</div>')
                field = (f'<div data-api-key="AIzaSyLeappTest" data-tx-id="{tx["await_id"]}">'
                         + (shown if number else "") + '</div>'
                         '<input type="hidden" name="action" value="2">')
            else:
                field = f'<div id="numberToPick">{number}</div>' if number else ""
            field += '<p>Google sent a notification to your phone. Tap Yes on the notification to continue.</p>'
            title = "2-Step Verification"
        else:
            field = '<input type="hidden" name="securityKeyResponse" value="">'
            title = "2-Step Verification"
        return render(title, f'<form method="post" id="challenge" action="{action}">{hidden(tx_id, extra)}{field}{err}'
                             '<input type="submit" id="submit" value="Next"></form>')

    def saml_page(email):
        u = cfg()["users"][email]
        xml = saml.response_xml("https://accounts.google.com/o/saml2?idpid=C01abcd", email, u.get("roles") or cfg()["roles"],
                                session_duration=cfg()["session_duration"], partition=cfg()["partition"])
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html; charset=UTF-8")

    def signed_in(email):
        sid = rnd.token_urlsafe(40)
        state["sessions"][sid] = {"email": email, "expires": time.time() + 3600 * 8}
        resp = redirect("/o/saml2/initsso?idpid=C01abcd&spid=123456789&forceauthn=false", code=302)
        resp.set_cookie("SID", sid, path="/", httponly=True)
        return resp

    def tx():
        t = state["tx"].get(request.form.get("TL", ""))
        return t

    @app.get("/o/saml2/initsso")
    def initsso():
        s = state["sessions"].get(request.cookies.get("SID", ""))
        if s and s["expires"] > time.time():
            return saml_page(s["email"])
        if cfg()["generation"] == "v3":
            return redirect("/v3/signin/identifier?continue=https%3A%2F%2Faccounts.google.com%2Fo%2Fsaml2%2Fcontinue&flowName=GlifWebSignIn",
                            code=302)
        return redirect("/ServiceLogin?continue=https%3A%2F%2Faccounts.google.com%2Fo%2Fsaml2%2Fcontinue&service=CPanel", code=302)

    @app.get("/ServiceLogin")
    def service_login():
        tx_id = rnd.token_urlsafe(16)
        state["tx"][tx_id] = {"email": None, "user": None}
        return email_page(tx_id)

    @app.post("/signin/v1/lookup")
    def lookup():
        t = tx()
        if t is None:
            return render("Error", '<span class="error-msg">Something went wrong</span>'), 400
        email = request.form.get("Email", "")
        if email not in cfg()["users"]:
            return email_page(request.form["TL"], "Couldn't find your Google Account")
        t["email"], t["user"] = email, cfg()["users"][email]
        return password_page(request.form["TL"], email)

    @app.route("/v3/signin/identifier", methods=["GET", "POST"])
    def v3_identifier_route():
        if request.method == "GET":
            tx_id = rnd.token_urlsafe(16)
            state["tx"][tx_id] = {"email": None, "user": None}
            return v3_identifier(tx_id)
        t = tx()
        if t is None or request.form.get("action") != "1":
            return render("Error", '<div aria-live="assertive">Something went wrong</div>'), 400
        email = request.form.get("identifier", "")
        if email not in cfg()["users"]:
            return v3_identifier(request.form["TL"], "Couldn't find your Google Account")
        t["email"], t["user"] = email, cfg()["users"][email]
        return redirect(f"/v3/signin/challenge/pwd?TL={request.form['TL']}&flowName=GlifWebSignIn", code=302)

    @app.get("/v3/signin/challenge/pwd")
    def v3_password_page():
        return v3_password(request.args.get("TL", ""))

    @app.post("/cryptauth/v1/authzen/awaittx")
    def await_tx():
        body = request.get_json(force=True, silent=True) or {}
        t = next((x for x in state["tx"].values() if x.get("await_id") and x["await_id"] == body.get("txId")), None)
        if t is None or request.args.get("key") != "AIzaSyLeappTest":
            return Response('{"error":{"code":400}}', status=400, content_type="application/json")
        state["stats"]["prompt_polls"] += 1
        t["polls"] = t.get("polls", 0) + 1
        if t["polls"] <= t["user"].get("prompt_polls", 2):
            return Response('{"error":{"code":500,"message":"Internal error encountered."}}', status=500, content_type="application/json")
        if t["user"].get("prompt_result", "yes") != "yes":
            return Response('{"error":{"code":403,"message":"The request was denied."}}', status=403, content_type="application/json")
        t["tx_token"] = rnd.token_urlsafe(16)
        return {"txToken": t["tx_token"]}

    @app.post("/signin/challenge/sl/password")
    @app.post("/v3/signin/challenge/pwd")
    def password():
        state["stats"]["password_posts"] += 1
        t = tx()
        if t is None or t["user"] is None:
            return render("Error", '<span class="error-msg">Something went wrong</span>'), 400
        tx_id = request.form["TL"]
        if cfg()["captcha"]:
            return captcha_page(tx_id)
        if request.path.startswith("/v3/") and request.form.get("action") != "1":
            return render("Error", '<div aria-live="assertive">Something went wrong</div>'), 400
        if request.form.get("Passwd") != t["user"]["password"]:
            if request.path.startswith("/v3/"):
                return v3_password(tx_id, "Wrong password. Try again or click Forgot password to reset it.")
            return password_page(tx_id, t["email"], "Wrong password. Try again or click Forgot password to reset it.")
        method = t["user"].get("two_step")
        if not method:
            return signed_in(t["email"])
        if isinstance(method, list):
            path = "/v3/signin/challenge/selection" if cfg()["generation"] == "v3" else "/signin/selectchallenge"
            return redirect(f"{path}?TL={tx_id}", code=302)
        return challenge_page(tx_id, method)

    @app.get("/v3/signin/challenge/selection")
    @app.get("/signin/selectchallenge")
    def selection():
        t = state["tx"].get(request.args.get("TL", ""))
        if t is None or t["user"] is None:
            return render("Error", '<span class="error-msg">Something went wrong</span>'), 400
        return selection_page(request.args["TL"], t["user"]["two_step"])

    @app.post("/signin/challenge/<kind>/<int:n>")
    def challenge(kind, n):
        t = tx()
        if t is None or t["user"] is None:
            return render("Error", '<span class="error-msg">Something went wrong</span>'), 400
        tx_id = request.form["TL"]
        u = t["user"]
        if request.form.get("subAction") == "selectChallenge":
            # A method chosen on the chooser: its own page, nothing checked yet.
            if isinstance(u.get("two_step"), list) and kind not in u["two_step"]:
                return render("Error", '<span class="error-msg">Something went wrong</span>'), 400
            state["stats"]["chosen"] = kind
            return challenge_page(tx_id, kind)
        if kind == "totp":
            state["stats"]["pin_posts"] += 1
            pin = request.form.get("Pin", "").replace(" ", "")
            ok = any(saml.totp(u["secret"].encode(), time.time() + d * 30) == pin for d in (-1, 0, 1))
            return signed_in(t["email"]) if ok else challenge_page(tx_id, "totp", "Wrong code. Try again.")
        if kind == "ipp" and cfg().get("sms_send_step", True) and not t.get("sms_sent"):
            if request.form.get("SendMethod") != "SMS":
                return challenge_page(tx_id, "ipp", "Something went wrong. Try again.")
            t["sms_sent"] = True
            state["stats"]["sms_sent"] = state["stats"].get("sms_sent", 0) + 1
            # A code posted with "send" is never checked: no text message existed yet.
            return challenge_page(tx_id, "ipp")
        if kind == "ipp":
            state["stats"]["pin_posts"] += 1
            return signed_in(t["email"]) if request.form.get("Pin") == u["sms_code"] else challenge_page(tx_id, "ipp", "Wrong code. Try again.")
        if kind == "bc":
            state["stats"]["pin_posts"] += 1
            code = request.form.get("Pin", "").replace(" ", "")
            if code in u.get("backup_codes", []):
                u["backup_codes"].remove(code)  # each backup code works once
                return signed_in(t["email"])
            return challenge_page(tx_id, "bc", "Wrong code. Try again.")
        if kind == "az" and cfg()["generation"] == "v3":
            if t.get("tx_token") and request.form.get("token") == t["tx_token"]:
                return signed_in(t["email"])
            return challenge_page(tx_id, "az", "You denied the sign-in attempt")
        if kind == "az":
            state["stats"]["prompt_polls"] += 1
            t["polls"] = t.get("polls", 0) + 1
            if t["polls"] <= u.get("prompt_polls", 2):
                return challenge_page(tx_id, "az")
            if u.get("prompt_result", "yes") == "yes":
                return signed_in(t["email"])
            return challenge_page(tx_id, "az", "You denied the sign-in attempt")
        return challenge_page(tx_id, "sk", "Security key required")

    add_control_routes(app, state, default_config, transient=("tx",), sessions="sessions")
    return app
