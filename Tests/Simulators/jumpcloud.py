"""A JumpCloud simulator, written from the JSON API its user console uses for SSO (the facts
other open-source SAML clients document): the SSO URL, the console's single-page login app,
the XSRF token, /userconsole/auth (email, password, then otp when "MFA required."), and the
redirect back to the SSO URL that answers with the SAMLResponse.

  GET  /saml2/APP                   the SAMLResponse when the session cookie lives, else the login app
  GET  /login                       the console's login page (a script app: no form)
  GET  /userconsole/xsrf            {"xsrf": TOKEN} and its cookie
  POST /userconsole/auth            {"context":"sso","redirectTo":"saml2/APP","email","password"[,"otp"]}"""
import secrets as rnd
import time

from flask import Flask, Response, jsonify, redirect, request

import saml
from control import add_control_routes


def default_config():
    # factors per user: [] or e.g. ["totp"], ["duo"], ["totp", "push"].
    return {"users": {}, "roles": [], "partition": "aws"}


def create_app():
    app = Flask("jumpcloud-sim")
    state = {"config": default_config(), "xsrf": {}, "sessions": {}, "stats": {"auth_posts": 0, "otp_posts": 0, "saml_issued": 0}}

    def cfg():
        return state["config"]

    @app.get("/saml2/<slug>")
    def sso(slug):
        s = state["sessions"].get(request.cookies.get("jcsession", ""))
        if s and s["expires"] > time.time():
            state["stats"]["saml_issued"] += 1
            xml = saml.response_xml("JumpCloud", s["user"], cfg()["users"].get(s["user"], {}).get("roles") or cfg()["roles"],
                                    partition=cfg()["partition"])
            return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html; charset=utf-8")
        return redirect(f"/login?context=sso&redirectTo=saml2%2F{slug}", code=302)

    @app.get("/login")
    def login_app():
        return Response('<!doctype html><html><head><title>JumpCloud User Console</title></head><body><div id="root"></div>'
                        '<script src="/userconsole/static/js/main.js"></script></body></html>', content_type="text/html")

    @app.get("/userconsole/xsrf")
    def xsrf():
        token = rnd.token_urlsafe(24)
        state["xsrf"][token] = True
        resp = jsonify({"xsrf": token})
        resp.set_cookie("_xsrf", token, path="/", httponly=True)
        return resp

    @app.post("/userconsole/auth")
    def auth():
        token = request.headers.get("X-Xsrftoken", "")
        if token not in state["xsrf"] or request.cookies.get("_xsrf") != token:
            return jsonify({"message": "Forbidden."}), 403
        state["stats"]["auth_posts"] += 1
        body = request.get_json(force=True, silent=True) or {}
        if body.get("context") != "sso" or not str(body.get("redirectTo", "")).startswith("saml2/"):
            return jsonify({"message": "Bad request."}), 400
        u = cfg()["users"].get(body.get("email", ""))
        if u is None or body.get("password") != u["password"]:
            return jsonify({"message": "Authentication failed."}), 401
        factors = u.get("factors", [])
        if factors:
            if "otp" not in body:
                return jsonify({"message": "MFA required.", "factors": [{"type": f, "status": "available"} for f in factors]}), 401
            state["stats"]["otp_posts"] += 1
            if "totp" not in factors or body["otp"] != u.get("code"):
                return jsonify({"message": "Authentication failed."}), 401
        sid = rnd.token_urlsafe(24)
        state["sessions"][sid] = {"user": body["email"], "expires": time.time() + 3600 * 8}
        resp = jsonify({"redirectTo": request.host_url + body["redirectTo"]})
        resp.set_cookie("jcsession", sid, path="/", httponly=True)
        return resp

    add_control_routes(app, state, default_config, transient=("xsrf",), sessions="sessions")
    return app
