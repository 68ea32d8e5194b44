"""A OneLogin simulator: the API a headless client uses (v2), on one loopback origin.

  POST /auth/oauth2/v2/token                    Basic client_id:client_secret -> access_token
  POST /api/2/saml_assertion                    Bearer; {username_or_email, password, app_id, subdomain}
  POST /api/2/saml_assertion/verify_factor      Bearer; {app_id, device_id, state_token, otp_token?, do_not_notify}
  GET  /trust/saml2/launch/{app_id}             the browser launch link (the SAML URL users copy)"""
import base64
import secrets as rnd
import time

from flask import Flask, request

import saml
from control import add_control_routes


def default_config():
    return {"client_id": "cid", "client_secret": "csecret", "app_id": "123456", "users": {}, "roles": [],
            "session_duration": None, "partition": "aws", "locked": []}


def create_app():
    app = Flask("onelogin-sim")
    state = {"config": default_config(), "tokens": set(), "states": {}, "stats": {"token": 0, "assertion": 0, "verify": 0, "polls": 0}}

    def cfg():
        return state["config"]

    def unauthorized(message="Authentication Failure"):
        return {"statusCode": 401, "name": "Unauthorized", "message": message}, 401

    def bearer_ok():
        h = request.headers.get("Authorization", "")
        return h.startswith("Bearer ") and h[7:] in state["tokens"]

    def assertion_for(user):
        roles = cfg()["users"][user].get("roles") or cfg()["roles"]
        xml = saml.response_xml("https://app.onelogin.com/saml/metadata/" + cfg()["app_id"], user, roles,
                                session_duration=cfg()["session_duration"], partition=cfg()["partition"])
        return {"data": saml.encode(xml), "message": "Success"}

    @app.post("/auth/oauth2/v2/token")
    def token():
        state["stats"]["token"] += 1
        h = request.headers.get("Authorization", "")
        try:
            cid, secret = base64.b64decode(h[6:]).decode().split(":", 1) if h.startswith("Basic ") else ("", "")
        except Exception:
            cid, secret = "", ""
        body = request.get_json(force=True, silent=True) or {}
        if body.get("grant_type") != "client_credentials":
            return {"statusCode": 400, "name": "BadRequest", "message": "grant_type is invalid"}, 400
        if (cid, secret) != (cfg()["client_id"], cfg()["client_secret"]):
            return unauthorized("Authentication Failure")
        t = rnd.token_hex(32)
        state["tokens"].add(t)
        return {"access_token": t, "created_at": "2026-01-01T00:00:00.000Z", "expires_in": 36000,
                "refresh_token": rnd.token_hex(32), "token_type": "bearer", "account_id": 55555}

    @app.post("/api/2/saml_assertion")
    def assertion():
        state["stats"]["assertion"] += 1
        if not bearer_ok():
            return unauthorized("Authorization Failed")
        body = request.get_json(force=True, silent=True) or {}
        if body.get("app_id") != cfg()["app_id"]:
            return {"statusCode": 400, "name": "BadRequest", "message": "App not found"}, 400
        user = body.get("username_or_email", "")
        if user in cfg()["locked"]:
            return unauthorized("User is locked")
        u = cfg()["users"].get(user)
        if not u or u["password"] != body.get("password"):
            return unauthorized("Authentication Failure")
        if not u.get("devices"):
            return assertion_for(user)
        st = rnd.token_hex(20)
        state["states"][st] = {"user": user, "sent": set(), "polls": 0}
        return {"state_token": st, "message": "MFA is required for this user",
                "devices": [{"device_id": d["id"], "device_type": d["type"]} for d in u["devices"]],
                "callback_url": request.host_url.rstrip("/") + "/api/2/saml_assertion/verify_factor",
                "user": {"email": user, "username": user, "firstname": "Alice", "lastname": "Doe", "id": 88888}}

    @app.post("/api/2/saml_assertion/verify_factor")
    def verify():
        state["stats"]["verify"] += 1
        if not bearer_ok():
            return unauthorized("Authorization Failed")
        body = request.get_json(force=True, silent=True) or {}
        st = state["states"].get(body.get("state_token", ""))
        if not st:
            return unauthorized("Invalid state_token")
        device = next((d for d in cfg()["users"][st["user"]]["devices"] if str(d["id"]) == str(body.get("device_id"))), None)
        if not device:
            return {"statusCode": 400, "name": "BadRequest", "message": "Device not found"}, 400
        kind = device["type"]
        if kind == "OneLogin Protect":
            st["polls"] += 1
            state["stats"]["polls"] += 1
            if st["polls"] <= device.get("polls", 2):
                return {"message": "Authentication pending on OL Protect"}
            if device.get("result", "approve") == "approve":
                return assertion_for(st["user"])
            return unauthorized("Authentication denied on OL Protect")
        otp = body.get("otp_token")
        if otp is None:
            st["sent"].add(device["id"])
            return {"message": "SMS token sent" if "SMS" in kind else "Token sent"}
        if kind == "Google Authenticator":
            ok = any(saml.totp(device["secret"].encode(), time.time() + d * 30) == otp for d in (-1, 0, 1))
        else:
            ok = device["id"] in st["sent"] or "SMS" not in kind
            ok = ok and otp == device.get("code")
        if not ok:
            return unauthorized("Failed authentication with this factor")
        return assertion_for(st["user"])

    @app.get("/trust/saml2/launch/<app_id>")
    def launch(app_id):
        return "<html><body>OneLogin login page (browser only)</body></html>"

    add_control_routes(app, state, default_config, transient=("tokens",), sessions="states")
    return app
