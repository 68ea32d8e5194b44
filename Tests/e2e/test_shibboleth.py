"""Shibboleth IdP end to end: the client-storage pages a browser submits by script, the login
page, the session cookie for refreshes, and what goes to the browser (consent, Duo)."""
from conftest import IDP, PASSWORD, ROLE, add_session


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", "alice", "--password-stdin", *args, input=password + "\n", **kw)


def test_login_through_the_session_information_pages_then_refresh(world, shibboleth, sts):
    add_session(world, sts, "shibboleth", shibboleth.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: The password you entered was incorrect." in r.stderr, r.stderr
    assert "(step: login page)" in r.stderr and r.stderr.count("\n") == 1
    r = login(world)
    assert r.returncode == 0, r.stderr
    # The IdP session (shib_idp_session) serves a refresh with no password.
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    stats = shibboleth.get("/_sim/stats")
    assert stats["login_posts"] == 2 and stats["storage_reads"] == 3 and stats["saml_issued"] == 2


def test_consent_and_duo_go_to_the_browser(world, shibboleth, sts):
    add_session(world, sts, "shibboleth", shibboleth.saml_url)
    shibboleth.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "consent": True})
    r = login(world)
    assert r.returncode == 69 and "consent" in r.stderr and "--browser" in r.stderr, r.stderr
    shibboleth.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "duo": True})
    r = login(world)
    assert r.returncode == 69 and "Duo" in r.stderr and "--browser" in r.stderr, r.stderr
