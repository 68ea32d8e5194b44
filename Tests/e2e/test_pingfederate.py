"""PingFederate end to end: the HTML Form Adapter's page, the hand-off to PingID and back (hidden
forms posted by script), PingID's passcode page, and the push that goes to the browser."""
from conftest import IDP, PASSWORD, ROLE, add_session


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", *args, input=password + "\n", **kw)


def test_forms_login_and_refresh(world, pingfederate, sts):
    add_session(world, sts, "pingfederate", pingfederate.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: We didn't recognize the username or password" in r.stderr, r.stderr
    assert login(world).returncode == 0
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert pingfederate.get("/_sim/stats")["login_posts"] == 2


def test_pingid_passcode_and_push(world, pingfederate, sts):
    pingfederate.configure({"users": {"alice": {"password": PASSWORD, "pingid": "otp", "code": "908172"}}, "roles": [[ROLE, IDP]]})
    add_session(world, sts, "pingfederate", pingfederate.saml_url)
    r = login(world, "--mfa-code", "111111")
    assert r.returncode == 69 and "one-time code refused: Incorrect passcode." in r.stderr, r.stderr
    r = login(world, "--mfa-code", "908172")
    assert r.returncode == 0, r.stderr
    assert pingfederate.get("/_sim/stats")["otp_posts"] == 2
    pingfederate.configure({"users": {"alice": {"password": PASSWORD, "pingid": "push"}}, "roles": [[ROLE, IDP]]})
    world.ok("session", "stop", "dev", "--forget")
    r = login(world)
    assert r.returncode == 69 and "PingID" in r.stderr and "--browser" in r.stderr, r.stderr
