"""Google Workspace end to end, in both page generations (the current /v3/signin pages and the
older gaia_loginform ones): email and password pages, every 2-Step Verification page, captcha."""
import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_session
from test_interactive import Terminal

USER = "alice@acme.com"


@pytest.fixture(params=["v3", "classic"], autouse=True)
def generation(request, google, world):
    google.generation = request.param
    world.env["LEAPP_GOOGLE_AWAIT_URL"] = google.url + "/cryptauth/v1/authzen/awaittx"
    configure(google)
    return request.param


def configure(google, captcha=False, sim=None, **user):
    u = {"password": PASSWORD}
    u.update(user)
    google.configure({"users": {USER: u}, "roles": [[ROLE, IDP]], "captcha": captcha, "generation": getattr(google, "generation", "v3"),
                      **(sim or {})})


def login(world, *args, password=PASSWORD, user=USER, **kw):
    return world.leapp("session", "start", "dev", "--username", user, "--password-stdin", *args, input=password + "\n", **kw)


def test_password_then_refresh_from_cookies(world, google, sts):
    add_session(world, sts, "google", google.saml_url)
    r = login(world)
    assert r.returncode == 0, r.stderr
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert google.get("/_sim/stats")["password_posts"] == 1
    google.post("/_sim/expire-sessions")
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 75


def test_unknown_email_and_wrong_password_name_the_step(world, google, sts):
    add_session(world, sts, "google", google.saml_url)
    r = login(world, user="bob@acme.com")
    assert r.returncode == 69 and "Couldn't find your Google Account (step: email)" in r.stderr
    r = login(world, password="wrong")
    assert r.returncode == 69 and "login refused: Wrong password." in r.stderr and "(step: password)" in r.stderr, r.stderr


def test_totp(world, google, sts):
    configure(google, two_step="totp", secret="gs")
    add_session(world, sts, "google", google.saml_url)
    assert login(world, "--mfa-code", saml.totp(b"gs")).returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-code", "000000" if saml.totp(b"gs") != "000000" else "111111")
    assert r.returncode == 69 and "code refused: Wrong code. Try again." in r.stderr


def test_sms(world, google, sts):
    """Today's page first offers to send the text message (SendMethod=SMS, no code field): it is
    posted without a code, and the code goes to the page that follows."""
    configure(google, two_step="ipp", sms_code="314159")
    add_session(world, sts, "google", google.saml_url)
    r = login(world, "--mfa-code", "314159")
    assert r.returncode == 0, r.stderr
    stats = google.get("/_sim/stats")
    assert stats["sms_sent"] == 1 and stats["pin_posts"] == 1, stats


@pytest.mark.parametrize("markup", ["feLNVc-samp", "feLNVc-div", "EKvSSd"])
def test_phone_prompt_with_number(world, google, sts, markup):
    configure(google, sim={"number_markup": markup}, two_step="az", prompt_polls=2, prompt_number="37")
    add_session(world, sts, "google", google.saml_url)
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert "tap Yes on the Google prompt on your phone; pick 37" in r.stderr
    configure(google, two_step="az", prompt_polls=1, prompt_result="no")
    world.ok("session", "stop", "dev", "--forget")
    r = login(world)
    assert r.returncode == 69 and ("You denied the sign-in attempt" in r.stderr or "phone prompt was not approved" in r.stderr), r.stderr


def test_backup_code_works_once(world, google, sts):
    configure(google, two_step="bc", backup_codes=["12345678"])
    add_session(world, sts, "google", google.saml_url)
    assert login(world, "--mfa-code", "1234 5678").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-code", "12345678")
    assert r.returncode == 69 and "code refused: Wrong code. Try again. (step: 2-Step Verification (backup code))" in r.stderr, r.stderr


def test_security_key_and_captcha_refused_with_advice(world, google, sts):
    configure(google, two_step="sk")
    add_session(world, sts, "google", google.saml_url)
    r = login(world)
    assert r.returncode == 69 and "security key" in r.stderr and "--saml-response-file" in r.stderr
    assert "--mfa-factor" not in r.stderr, "Google's provider does not read it"
    configure(google, captcha=True)
    r = login(world)
    assert r.returncode == 69 and "captcha" in r.stderr and "--saml-response-file" in r.stderr


def test_a_captcha_offers_the_browser(world, google, sts):
    """The captcha carries the typed reason: a person at a terminal with a display is offered
    browser login (answered no here)."""
    configure(google, captcha=True)
    add_session(world, sts, "google", google.saml_url)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", USER], {**world.env, "DISPLAY": ":0"})
    t.expect("Password for "); t.send(PASSWORD)
    t.expect("in a browser instead? [Y/n] "); t.send("n")
    assert t.wait(timeout=30) != 0


def test_the_method_chooser_is_answered_by_the_mfa_policy(world, google, sts):
    """'Choose how you want to sign in' lists a form per method: --mfa-factor picks one, a code
    given with --mfa-code picks the method it is for, and without either the phone prompt is
    taken (the policy's push); a security key goes to the browser."""
    configure(google, two_step=["az", "totp", "ipp", "sk"], secret="gs", sms_code="424242")
    add_session(world, sts, "google", google.saml_url)
    r = login(world, "--mfa-factor", "sms", "--mfa-code", "424242")
    assert r.returncode == 0, r.stderr
    assert google.get("/_sim/stats")["chosen"] == "ipp"
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-code", saml.totp(b"gs"))
    assert r.returncode == 0, r.stderr
    assert google.get("/_sim/stats")["chosen"] == "totp"
    world.ok("session", "stop", "dev", "--forget")
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert google.get("/_sim/stats")["chosen"] == "az" and "tap Yes" in r.stderr
    world.ok("session", "stop", "dev", "--forget")
    r = login(world, "--mfa-factor", "security key")
    assert r.returncode == 69 and "security key" in r.stderr and "--browser" in r.stderr, r.stderr
    r = login(world, "--mfa-factor", "carrier pigeon")
    assert r.returncode == 69 and "no MFA factor matches 'carrier pigeon'" in r.stderr and "SMS code" in r.stderr, r.stderr


def test_a_chooser_that_runs_in_script_goes_to_the_browser(world, google, sts):
    configure(google, two_step=["az", "totp"], secret="gs", sim={"selection_markup": "script"})
    add_session(world, sts, "google", google.saml_url)
    r = login(world, "--mfa-code", saml.totp(b"gs"))
    assert r.returncode == 69 and "choose a 2-Step Verification method" in r.stderr and "--browser" in r.stderr, r.stderr
