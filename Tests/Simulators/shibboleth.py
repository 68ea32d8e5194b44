"""A Shibboleth IdP (v4/v5) simulator, written from the IdP's documented views (login.vm,
the client-storage pages, attribute-release consent): IdP-initiated SSO to AWS.

  GET  /idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices
       -> "Loading Session Information" (hidden shib_idp_ls_* fields, csrf_token,
          _eventId_proceed, submitted by script), then ?execution=e1sN pages
  POST /idp/profile/SAML2/Unsolicited/SSO?execution=e1sN
       -> the login page (j_username, j_password, the _eventId_proceed button, .form-error),
          "Writing Session Information", the consent page, Duo, or the SAMLResponse post"""
import html
import secrets as rnd
import time

from flask import Flask, Response, request

import saml
from control import add_control_routes

SSO = "/idp/profile/SAML2/Unsolicited/SSO"


def default_config():
    # consent: show attribute-release consent after login; duo: send the user to Duo.
    return {"users": {}, "roles": [], "partition": "aws", "consent": False, "duo": False}


PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Web Login Service</title></head>{body_tag}'
        '<div class="wrapper"><div class="container"><header><img src="/idp/images/dummylogo.png" alt="Replace or'
        ' remove this logo"></header><div class="content"><div class="column one">{body}</div></div></div></div></body></html>')

LS_FIELDS = ("shib_idp_session_ss", "shib_idp_persistent_ss")


def create_app():
    app = Flask("shibboleth-sim")
    state = {"config": default_config(), "flows": {}, "sessions": {},
             "stats": {"storage_reads": 0, "login_posts": 0, "saml_issued": 0}}

    def cfg():
        return state["config"]

    def render(body, onload=False):
        tag = '<body onload="doLoad()">' if onload else "<body>"
        return Response(PAGE.format(body_tag=tag, body=body), content_type="text/html;charset=utf-8")

    def flow_form(flow, step, inner):
        f = state["flows"][flow]
        f["step"] = step
        return (f'<form action="{SSO}?execution={flow}s{step}" method="post">'
                f'<input type="hidden" name="csrf_token" value="{f["csrf"]}" />{inner}</form>')

    def storage_page(flow, step, writing):
        inputs = "".join(
            f'<input name="shib_idp_ls_exception.{k}" type="hidden" /><input name="shib_idp_ls_success.{k}" type="hidden"'
            f' value="false" />' + ("" if writing else f'<input name="shib_idp_ls_value.{k}" type="hidden" />') for k in LS_FIELDS)
        inputs += '<input name="shib_idp_ls_supported" type="hidden" /><input name="_eventId_proceed" type="hidden" />'
        script = ('<script>function doLoad() { var localStorageSupported = false; try { localStorageSupported ='
                  ' !!window.localStorage; } catch (e) {} document.form1 || document.forms[0].submit(); }</script>')
        title = "Writing" if writing else "Loading"
        return render(f'<h1>{title} Session Information</h1><p>{title} login session information from the browser...</p>'
                      f'<noscript><div class="form-error">Since your browser does not support JavaScript, you must press'
                      f' the Continue button once to proceed.</div></noscript>{flow_form(flow, step, inputs)}'
                      '<noscript><button type="submit" name="_eventId_proceed">Continue</button></noscript>' + script,
                      onload=True)

    def login_page(flow, step, error=""):
        err = f'<section><p class="form-element form-error">{html.escape(error)}</p></section>' if error else ""
        inner = ('<div class="form-element-wrapper"><label for="username">Username</label><input class="form-element'
                 ' form-field" id="username" name="j_username" type="text" value=""></div>'
                 '<div class="form-element-wrapper"><label for="password">Password</label><input class="form-element'
                 ' form-field" id="password" name="j_password" type="password" value=""></div>'
                 '<div class="form-element-wrapper"><input type="checkbox" name="donotcache" value="1" id="donotcache">'
                 '<label for="donotcache">Don\'t Remember Login</label></div>'
                 '<div class="form-element-wrapper"><input id="_shib_idp_revokeConsent" type="checkbox"'
                 ' name="_shib_idp_revokeConsent" value="true"><label for="_shib_idp_revokeConsent">Clear prior granting'
                 ' of permission for release of your information to this service.</label></div>'
                 f'{err}<div class="form-element-wrapper"><button class="form-element form-button" type="submit"'
                 ' name="_eventId_proceed" onClick="this.childNodes[0].nodeValue=\'Logging in, please wait...\'">Login'
                 '</button></div>')
        return render(f'<h2>Amazon Web Services</h2>{flow_form(flow, step, inner)}')

    def consent_page(flow, step):
        inner = ('<table><tr><td>mail</td><td>alice@acme.test</td></tr></table>'
                 '<input id="_shib_idp_doNotRememberConsent" type="radio" name="_shib_idp_consentOptions"'
                 ' value="_shib_idp_doNotRememberConsent"><input id="_shib_idp_rememberConsent" type="radio" checked'
                 ' name="_shib_idp_consentOptions" value="_shib_idp_rememberConsent">'
                 '<input type="hidden" name="_shib_idp_consentIds" value="mail">'
                 '<input type="submit" name="_eventId_AttributeReleaseRejected" value="Reject">'
                 '<input type="submit" name="_eventId_proceed" value="Accept">')
        return render(f'<h2>Information to be Provided to Service</h2>{flow_form(flow, step, inner)}')

    def saml_post(username):
        state["stats"]["saml_issued"] += 1
        u = cfg()["users"].get(username, {})
        xml = saml.response_xml("https://idp.acme.test/idp/shibboleth", username, u.get("roles") or cfg()["roles"],
                                partition=cfg()["partition"])
        return Response(saml.post_form(saml.encode(xml), cfg()["partition"]), content_type="text/html;charset=utf-8")

    @app.get(SSO)
    def start():
        if request.args.get("providerId") != "urn:amazon:webservices":
            return render('<p class="form-error">The application you have accessed is not registered.</p>'), 400
        flow = "e" + str(len(state["flows"]) + 1)
        state["flows"][flow] = {"csrf": "_" + rnd.token_hex(16), "step": 0, "user": None}
        s = state["sessions"].get(request.cookies.get("shib_idp_session", ""))
        if s and s["expires"] > time.time():
            state["flows"][flow]["user"] = s["user"]
        return storage_page(flow, 1, writing=False)

    @app.post(SSO)
    def proceed():
        execution = request.args.get("execution", "")
        flow, _, step = execution.partition("s")
        f = state["flows"].get(flow)
        if f is None or str(f["step"]) != step or request.form.get("csrf_token") != f["csrf"] or "_eventId_proceed" not in request.form:
            return render('<p class="form-error">Stale Request</p><p>You may be seeing this page because you used'
                          ' the Back button while browsing a secure web site or application.</p>'), 400
        if f["step"] == 1:  # session information read
            state["stats"]["storage_reads"] += 1
            if f["user"]:
                return saml_post(f["user"])
            return login_page(flow, 2)
        if f["step"] == 2:
            state["stats"]["login_posts"] += 1
            u = cfg()["users"].get(request.form.get("j_username", ""))
            if u is None or request.form.get("j_password") != u["password"]:
                return login_page(flow, 2, "The password you entered was incorrect.")
            f["user"] = request.form["j_username"]
            if cfg()["duo"]:  # duo.vm of the Duo Web v2 plugin: Duo's own frame
                return render('<iframe id="duo_iframe" title="Two-Factor Authentication" data-host="api-1234.duosecurity.com"'
                              ' data-sig-request="TX|...:APP|..."></iframe>'
                              + flow_form(flow, 5, '<input type="hidden" name="_eventId_proceed" />'))
            return storage_page(flow, 3, writing=True)
        if f["step"] == 3:  # session information written
            sid = rnd.token_urlsafe(24)
            state["sessions"][sid] = {"user": f["user"], "expires": time.time() + 3600 * 8}
            resp = consent_page(flow, 4) if cfg()["consent"] else saml_post(f["user"])
            resp.set_cookie("shib_idp_session", sid, path="/idp", httponly=True)
            return resp
        return saml_post(f["user"])

    add_control_routes(app, state, default_config, transient=("flows",), sessions="sessions")
    return app
