"""OneLogin end to end: API client credentials kept in the keyring, MFA devices, errors."""
import json

import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_session, start

CLIENT = {"LEAPP_ONELOGIN_CLIENT_ID": "cid", "LEAPP_ONELOGIN_CLIENT_SECRET": "csecret"}


def configure(onelogin, devices=None, **extra):
    config = {"users": {"alice": {"password": PASSWORD, "devices": devices or []}}, "roles": [[ROLE, IDP]]}
    config.update(extra)
    onelogin.configure(config)


def idp_id(world):
    return json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]


def test_password_and_api_client_remembered(world, onelogin, sts):
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, env=CLIENT)
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/alice" in r.stderr
    stored = world.run(["secret-tool", "lookup", "xdg:schema", "dev.leapp-swift.Secret", "kind", "api-client", "key", idp_id(world)])
    assert json.loads(stored.stdout) == {"clientId": "cid", "clientSecret": "csecret"}
    # Asked once: the next login finds the client in the keyring.
    r = start(world, "--force")
    assert r.returncode == 0, r.stderr
    assert "csecret" not in r.stderr


def test_without_api_client_and_terminal(world, onelogin, sts):
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world)
    assert r.returncode == 75 and "API client id and secret" in r.stderr
    assert "LEAPP_ONELOGIN_CLIENT_ID and LEAPP_ONELOGIN_CLIENT_SECRET" in r.stderr


def test_wrong_api_client(world, onelogin, sts):
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, env={"LEAPP_ONELOGIN_CLIENT_ID": "cid", "LEAPP_ONELOGIN_CLIENT_SECRET": "bad"})
    assert r.returncode == 69 and "API client id and secret were refused (Authentication Failure)" in r.stderr
    assert "bad" not in r.stderr.replace("refused", "")


@pytest.mark.parametrize("user_config,message", [
    ({"locked": ["alice"]}, "User is locked"),
    ({}, "Authentication Failure"),
])
def test_login_errors(world, onelogin, sts, user_config, message):
    configure(onelogin, **user_config)
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, password="wrong" if not user_config else PASSWORD, env=CLIENT)
    assert r.returncode == 69 and f"login refused: {message}" in r.stderr and r.stderr.count("\n") == 1


def test_totp_device(world, onelogin, sts):
    configure(onelogin, [{"id": 1, "type": "Google Authenticator", "secret": "g"}])
    add_session(world, sts, "onelogin", onelogin.saml_url)
    assert start(world, "--mfa-code", saml.totp(b"g"), env=CLIENT).returncode == 0
    r = start(world, "--force", "--mfa-code", "000000" if saml.totp(b"g") != "000000" else "111111", env=CLIENT)
    assert r.returncode == 69 and "code refused: Failed authentication with this factor" in r.stderr


def test_sms_device_sends_then_checks(world, onelogin, sts):
    configure(onelogin, [{"id": 7, "type": "OneLogin SMS", "code": "123123"}, {"id": 8, "type": "Google Authenticator", "secret": "g"}])
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, "--mfa-factor", "OneLogin SMS", "--mfa-code", "123123", env=CLIENT)
    assert r.returncode == 0, r.stderr


def test_protect_push(world, onelogin, sts):
    configure(onelogin, [{"id": 3, "type": "OneLogin Protect", "polls": 3}])
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, env=CLIENT)
    assert r.returncode == 0, r.stderr
    assert "approve the OneLogin Protect notification" in r.stderr
    assert onelogin.get("/_sim/stats")["polls"] == 4


def test_protect_push_denied(world, onelogin, sts):
    configure(onelogin, [{"id": 3, "type": "OneLogin Protect", "polls": 1, "result": "deny"}])
    add_session(world, sts, "onelogin", onelogin.saml_url)
    r = start(world, env=CLIENT)
    assert r.returncode == 69 and "push not approved: Authentication denied on OL Protect" in r.stderr


def test_refresh_needs_password_unless_remembered(world, onelogin, sts):
    add_session(world, sts, "onelogin", onelogin.saml_url)
    assert start(world, "--remember-password", env=CLIENT).returncode == 0
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    world.ok("session", "stop", "dev", "--forget")
    r = world.leapp("session", "start", "dev", "--force", input="", env=CLIENT)
    assert r.returncode == 75 and "--username" in r.stderr  # the IdP session and what it knew are gone
    r = world.leapp("session", "start", "dev", "--force", "--username", "alice", input="", env=CLIENT)
    assert r.returncode == 75 and "password" in r.stderr


def test_email_device(world, onelogin, sts):
    configure(onelogin, [{"id": 9, "type": "OneLogin Email", "code": "8642"}])
    add_session(world, sts, "onelogin", onelogin.saml_url)
    assert start(world, "--mfa-code", "8642", env=CLIENT).returncode == 0
    r = start(world, "--force", "--mfa-code", "1111", env=CLIENT)
    assert r.returncode == 69 and "code refused" in r.stderr
