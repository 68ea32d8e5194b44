"""AD FS end to end: Windows Integrated Authentication with a real Kerberos ticket (Debian's MIT
KDC, a Negotiate front checking it with python3-gssapi), the forms page, and the second
factors of its AuthMethod pages."""
import json

from conftest import IDP, PASSWORD, ROLE, add_session

USER = "alice@acme.test"


def login(world, *args, password=PASSWORD, **kw):
    return world.leapp("session", "start", "dev", "--username", USER, "--password-stdin", *args, input=password + "\n", **kw)


def test_a_kerberos_ticket_logs_in_with_no_password(world, adfs, kerberos, sts, tmp_path):
    adfs.configure({"users": {USER: {"password": PASSWORD}}, "roles": [[ROLE, IDP]], "wia_header": True})
    url = kerberos.front_url + "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices"
    add_session(world, sts, "adfs", url)
    cache = tmp_path / "krb5cc"
    kerberos.kinit(cache)
    world.env.update(kerberos.env)
    world.env["KRB5CCNAME"] = f"FILE:{cache}"
    r = world.leapp("session", "start", "dev", "--verbose", input="")  # no password, no terminal
    assert r.returncode == 0, r.stderr
    stats = adfs.get("/_sim/stats")
    assert stats["wia_logins"] == 1 and stats["forms_posts"] == 0
    assert "Authorization" not in r.stderr and "Negotiate " not in r.stderr, "no token in --verbose"
    # Without a ticket, the forms page: a person must give the username and password.
    world.env["KRB5CCNAME"] = f"FILE:{tmp_path / 'no-such-cache'}"
    world.ok("session", "stop", "dev", "--forget")
    r = world.leapp("session", "start", "dev", input="")
    assert r.returncode == 75 and "asks for a username" in r.stderr, r.stderr
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert adfs.get("/_sim/stats")["forms_posts"] == 1


def test_forms_login_refresh_and_a_wrong_password(world, adfs, sts):
    add_session(world, sts, "adfs", adfs.saml_url)
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: Incorrect user ID or password." in r.stderr, r.stderr
    assert "(step: sign-in)" in r.stderr and r.stderr.count("\n") == 1
    assert login(world).returncode == 0
    # The AD FS session cookie serves a refresh with no password.
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert adfs.get("/_sim/stats")["forms_posts"] == 2


def test_securid_and_azure_mfa_codes(world, adfs, sts):
    adfs.configure({"users": {USER: {"password": PASSWORD, "second_factor": "securid", "code": "24680"}}, "roles": [[ROLE, IDP]]})
    add_session(world, sts, "adfs", adfs.saml_url)
    r = login(world, "--mfa-code", "11111")
    assert r.returncode == 69 and "one-time code refused: The passcode you entered is incorrect." in r.stderr, r.stderr
    assert "check the username and password" not in r.stderr
    assert login(world, "--mfa-code", "24680").returncode == 0
    adfs.configure({"users": {USER: {"password": PASSWORD, "second_factor": "azure-code", "code": "135790"}}, "roles": [[ROLE, IDP]]})
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-code", "135790")
    assert r.returncode == 0, r.stderr


def test_the_options_page_is_answered_by_the_mfa_policy_and_duo_goes_to_the_browser(world, adfs, sts):
    factors = ["duo", "securid", "azure-code"]
    adfs.configure({"users": {USER: {"password": PASSWORD, "second_factor": factors, "code": "24680"}}, "roles": [[ROLE, IDP]]})
    add_session(world, sts, "adfs", adfs.saml_url)
    r = login(world, "--mfa-factor", "securid", "--mfa-code", "24680")
    assert r.returncode == 0, r.stderr
    assert adfs.get("/_sim/stats")["chosen"] == "securid"
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-factor", "duo")
    assert r.returncode == 69 and "Duo" in r.stderr and "--browser" in r.stderr, r.stderr
    adfs.configure({"users": {USER: {"password": PASSWORD, "second_factor": "duo"}}, "roles": [[ROLE, IDP]]})
    r = login(world)
    assert r.returncode == 69 and "Duo" in r.stderr and "--browser" in r.stderr, r.stderr


def test_the_provider_is_named(world, adfs):
    world.ok("idp-url", "create", "--name", "corp", "--provider", "adfs", "--url", adfs.saml_url)
    assert json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["provider"] == "adfs"
