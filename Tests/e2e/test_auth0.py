"""Auth0 end to end, in both login experiences: New Universal Login (the default of new tenants:
identifier page, password page) and Classic (the Lock page's embedded session info, connection
discovery, the usernamepassword login and its callback)."""
import pytest

from conftest import IDP, PASSWORD, ROLE, add_session

USER = "alice@acme.com"


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", USER, "--password-stdin", *args, input=password + "\n", **kw)


@pytest.fixture(params=["universal", "classic"])
def experience(request, auth0):
    auth0.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "experience": request.param})
    return request.param


def test_login_and_refresh_from_cookie(world, auth0, sts, experience):
    add_session(world, sts, "auth0", auth0.saml_url)
    r = login(world, "--verbose")
    assert r.returncode == 0, r.stderr
    if experience == "classic":
        assert "/client/AbCdEf0123456789AbCdEf0123456789.js" in r.stderr and "/usernamepassword/login" in r.stderr
    else:
        assert "/u/login/identifier" in r.stderr and "/u/login/password" in r.stderr
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert auth0.get("/_sim/stats")["logins"] == 1
    auth0.post("/_sim/expire-sessions")
    assert world.leapp("session", "start", "dev", "--force", input="").returncode == 75


def test_wrong_password_blocked_and_mfa(world, auth0, sts, experience):
    add_session(world, sts, "auth0", auth0.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: Wrong email or password" in r.stderr and "wrong" not in r.stderr.replace("Wrong", ""), r.stderr
    auth0.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "blocked": [USER], "experience": experience})
    r = login(world)
    assert r.returncode == 69 and "blocked" in r.stderr
    auth0.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "mfa": [USER], "experience": experience})
    r = login(world)
    assert r.returncode == 69 and ("Guardian MFA" in r.stderr or "MFA" in r.stderr), r.stderr


def test_custom_connection_name_is_discovered(world, auth0, sts):
    auth0.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "connection": "acme-employees",
                     "experience": "classic"})
    add_session(world, sts, "auth0", auth0.saml_url)
    assert login(world).returncode == 0
