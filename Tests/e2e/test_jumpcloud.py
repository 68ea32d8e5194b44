"""JumpCloud end to end: the console's JSON login (XSRF token, email and password, a TOTP code
when MFA is required), the session cookie for refreshes, and factors that go to the browser."""
from conftest import IDP, PASSWORD, ROLE, add_session

USER = "alice@acme.test"


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", USER, "--password-stdin", *args, input=password + "\n", **kw)


def test_login_refresh_and_a_wrong_password(world, jumpcloud, sts):
    add_session(world, sts, "jumpcloud", jumpcloud.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: Authentication failed." in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert login(world).returncode == 0
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert jumpcloud.get("/_sim/stats")["auth_posts"] == 2


def test_totp_and_factors_for_the_browser(world, jumpcloud, sts):
    jumpcloud.configure({"users": {USER: {"password": PASSWORD, "factors": ["totp", "push"], "code": "314159"}}, "roles": [[ROLE, IDP]]})
    add_session(world, sts, "jumpcloud", jumpcloud.saml_url)
    r = login(world, "--mfa-code", "000000")
    assert r.returncode == 69 and "one-time code refused: Authentication failed." in r.stderr, r.stderr
    assert login(world, "--mfa-code", "314159").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-factor", "push")
    assert r.returncode == 69 and "JumpCloud Protect push" in r.stderr and "--browser" in r.stderr, r.stderr
    jumpcloud.configure({"users": {USER: {"password": PASSWORD, "factors": ["duo"]}}, "roles": [[ROLE, IDP]]})
    r = login(world)
    assert r.returncode == 69 and "Duo" in r.stderr and "--browser" in r.stderr, r.stderr
