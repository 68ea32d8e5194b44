"""Azure AD end to end: $Config pages, MFA with number matching, KMSI, proof-up, ADFS federation."""
import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_session

USER = "alice@acme.com"


def configure(azure, after_kmsi="portal", **user):
    u = {"password": PASSWORD}
    u.update(user)
    azure.configure({"users": {USER: u}, "roles": [[ROLE, IDP]], "locked": user.pop("locked_list", []), "after_kmsi": after_kmsi})


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", USER, "--password-stdin", *args, input=password + "\n", **kw)


@pytest.mark.parametrize("after_kmsi", ["portal", "direct"])
def test_password_kmsi_and_silent_refresh(world, azure, sts, after_kmsi):
    """A fresh login: after "Stay signed in?" today's Azure AD posts a hidden form to the portal
    by script, which starts the SAML sign-in (older tenants answered with the SAMLResponse)."""
    configure(azure, after_kmsi=after_kmsi)
    add_session(world, sts, "azure-ad", azure.saml_url)
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/alice@acme.com" in r.stderr
    assert azure.get("/_sim/stats")["kmsi"] == 1
    assert azure.get("/_sim/stats")["portal"] == (1 if after_kmsi == "portal" else 0)
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert azure.get("/_sim/stats")["password_posts"] == 1, "ESTSAUTH cookies from the keyring were enough"
    azure.post("/_sim/expire-sessions")
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 75 and "leapp session start dev" in r.stderr


def test_wrong_password_unknown_user_locked(world, azure, sts):
    add_session(world, sts, "azure-ad", azure.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: invalid username or password" in r.stderr and "wrong" not in r.stderr
    r = world.leapp("session", "start", "dev", "--username", "bob@acme.com", "--password-stdin", input="x\n")
    assert r.returncode == 69 and "no such user" in r.stderr
    azure.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "locked": [USER]})
    r = login(world)
    assert r.returncode == 69 and "locked" in r.stderr


def test_push_with_number_matching(world, azure, sts):
    configure(azure, methods=[{"id": "PhoneAppNotification", "polls": 2, "number": 57}])
    add_session(world, sts, "azure-ad", azure.saml_url)
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert "approve the sign-in in Microsoft Authenticator; enter 57" in r.stderr
    assert azure.get("/_sim/stats")["end_auth"] == 3


@pytest.mark.parametrize("outcome,message", [("deny", "denied in the Authenticator app"), ("timeout", "no answer in the Authenticator app")])
def test_push_denied_or_unanswered(world, azure, sts, outcome, message):
    configure(azure, methods=[{"id": "PhoneAppNotification", "polls": 1, "result": outcome}])
    add_session(world, sts, "azure-ad", azure.saml_url)
    r = login(world)
    assert r.returncode == 69 and message in r.stderr


def test_otp_and_sms(world, azure, sts):
    configure(azure, methods=[{"id": "PhoneAppNotification"}, {"id": "PhoneAppOTP", "secret": "k"}, {"id": "OneWaySMS", "code": "246810"}])
    add_session(world, sts, "azure-ad", azure.saml_url)
    assert login(world, "--mfa-code", saml.totp(b"k")).returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    assert login(world, "--mfa-factor", "OneWaySMS", "--mfa-code", "246810").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-factor", "OneWaySMS", "--mfa-code", "000000")
    assert r.returncode == 69 and "code refused (SMSAuthFailedWrongCodeEntered)" in r.stderr


def test_proof_up_is_skipped(world, azure, sts):
    configure(azure, proofup=True)
    add_session(world, sts, "azure-ad", azure.saml_url)
    assert login(world).returncode == 0


def test_federated_user_through_adfs(world, azure, sts):
    configure(azure, federated=True)
    add_session(world, sts, "azure-ad", azure.saml_url)
    r = login(world)
    assert r.returncode == 0, r.stderr
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused at the federation server: Incorrect user ID or password" in r.stderr


def test_push_polling_respects_the_page_interval(world, azure, sts):
    azure.configure({"users": {USER: {"password": PASSWORD, "methods": [{"id": "PhoneAppNotification", "polls": 2}]}},
                     "roles": [[ROLE, IDP]], "polling_interval": 1000})
    add_session(world, sts, "azure-ad", azure.saml_url)
    del world.env["LEAPP_POLL_INTERVAL_MS"]
    assert login(world).returncode == 0
    assert azure.get("/_sim/stats")["min_poll_gap_ms"] >= 950
