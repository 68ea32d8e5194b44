"""Okta end to end: classic authn API, every factor, the session cookie reused for refresh."""
import json

import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_session, start


def configure(okta, factors=None, **extra):
    config = {"users": {"alice": {"password": PASSWORD, "factors": factors or []}}, "roles": [[ROLE, IDP]]}
    config.update(extra)
    okta.configure(config)


def test_password_only_then_silent_refresh_from_sid(world, okta, sts):
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/alice" in r.stderr
    assert okta.get("/_sim/stats")["authn_password"] == 1
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert okta.get("/_sim/stats")["authn_password"] == 1, "the sid cookie from the keyring was enough"
    # Once Okta's session is gone, a non-interactive refresh says what to run.
    okta.post("/_sim/expire-sessions")
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 75 and "leapp session start dev" in r.stderr


def test_bad_password_and_locked(world, okta, sts):
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world, password="nope")
    assert r.returncode == 69 and "okta: login refused: Authentication failed" in r.stderr and "nope" not in r.stderr
    configure(okta, locked=["alice"])
    r = start(world)
    assert r.returncode == 69 and "locked out" in r.stderr


@pytest.mark.parametrize("provider,label", [("OKTA", "Okta Verify code"), ("GOOGLE", "Google Authenticator code")])
def test_totp(world, okta, sts, provider, label):
    configure(okta, [{"type": "token:software:totp", "provider": provider, "secret": "totp-secret"}])
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world, "--mfa-code", saml.totp(b"totp-secret"))
    assert r.returncode == 0, r.stderr
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, "--mfa-code", "000000" if saml.totp(b"totp-secret") != "000000" else "111111")
    assert r.returncode == 69 and "code refused: Invalid Passcode/Answer" in r.stderr


def test_sms_call_and_email(world, okta, sts):
    configure(okta, [{"type": "sms", "code": "424242"}, {"type": "email", "code": "777777"}, {"type": "call", "code": "13579"}])
    add_session(world, sts, "okta", okta.saml_url)
    assert start(world, "--mfa-factor", "sms", "--mfa-code", "424242").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    assert start(world, "--mfa-factor", "email", "--mfa-code", "777777").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    assert start(world, "--mfa-factor", "call", "--mfa-code", "13579").returncode == 0
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, "--mfa-factor", "sms", "--mfa-code", "000001")
    assert r.returncode == 69 and "code refused" in r.stderr


def test_push_with_number_challenge(world, okta, sts):
    configure(okta, [{"type": "push", "polls": 3, "number": 42}, {"type": "token:software:totp", "secret": "s"}])
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 0, r.stderr
    assert "approve the Okta Verify push on your phone; tap 42" in r.stderr
    assert okta.get("/_sim/stats")["polls"] == 4


@pytest.mark.parametrize("outcome,message", [("reject", "was rejected"), ("timeout", "timed out")])
def test_push_rejected_or_timed_out(world, okta, sts, outcome, message):
    configure(okta, [{"type": "push", "polls": 1, "result": outcome}])
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 69 and message in r.stderr and "(step: MFA push)" in r.stderr


def test_push_nobody_answers_within_poll_timeout(world, okta, sts):
    configure(okta, [{"type": "push", "polls": 10_000}])
    add_session(world, sts, "okta", okta.saml_url)
    world.env["LEAPP_POLL_TIMEOUT"] = "1"
    r = start(world)
    assert r.returncode == 69 and "no answer to the push notification" in r.stderr


def test_factor_choice_without_terminal(world, okta, sts):
    configure(okta, [{"type": "push", "polls": 0}, {"type": "token:software:totp", "secret": "s"}])
    add_session(world, sts, "okta", okta.saml_url)
    # A code given picks the code factor even though push comes first.
    assert start(world, "--mfa-code", saml.totp(b"s")).returncode == 0
    assert okta.get("/_sim/stats")["polls"] == 0
    world.ok("session", "stop", "dev", "--forget")
    r = start(world, "--mfa-factor", "voice")
    assert r.returncode == 69 and "available: Okta Verify push (Pixel 8), Okta Verify code" in r.stderr


def test_step_up_resumes_with_state_token(world, okta, sts):
    configure(okta, [{"type": "token:software:totp", "secret": "s"}])
    add_session(world, sts, "okta", okta.saml_url)
    assert start(world, "--mfa-code", saml.totp(b"s")).returncode == 0
    okta.post("/_sim/require-step-up")
    r = world.leapp("session", "start", "dev", "--force", "--mfa-code", saml.totp(b"s"), input="")
    assert r.returncode == 0, r.stderr
    assert okta.get("/_sim/stats")["authn_password"] == 1, "step-up needs the code, not the password"


def test_identity_engine_is_explained(world, okta, sts):
    configure(okta, identity_engine=True)
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 69 and "Identity Engine" in r.stderr and "--oidc-client-id" in r.stderr


def test_env_uses_okta_refresh(world, okta, sts):
    add_session(world, sts, "okta", okta.saml_url)
    start(world, check=True)
    before = json.loads(world.ok("credential-process", "dev").stdout)["AccessKeyId"]
    r = world.leapp("env", "dev", env={"LEAPP_REFRESH_MARGIN": "7200"})
    assert r.returncode == 0 and before not in r.stdout
    assert okta.get("/_sim/stats")["authn_password"] == 1


def test_a_long_wait_shows_progress_on_a_terminal_only(world, okta, sts):
    from test_interactive import Terminal
    configure(okta, [{"type": "push", "polls": 3, "number": 42}])
    add_session(world, sts, "okta", okta.saml_url)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
    t.expect("Password"); t.send(PASSWORD)
    assert t.wait() == 0, t.output.decode(errors="replace")
    out = t.output.decode(errors="replace")
    assert "waiting for the Okta Verify push (tap 42)... " in out and "\r\x1b[2K" in out
    # Not a terminal (a script, the AWS CLI): no progress at all.
    r = start(world, "--force")
    assert r.returncode == 0 and "waiting for" not in r.stderr and "\x1b" not in r.stderr


def test_a_security_key_factor_points_at_browser_login(world, okta, sts):
    configure(okta, [{"type": "webauthn"}])
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 69 and "cannot be used headlessly" in r.stderr
    assert "`leapp session start dev --browser`" in r.stderr and "no display here" in r.stderr


def test_the_push_wait_line_is_cleared_before_the_next_message(world, okta, sts):
    """At a terminal the wait for a push is one line redrawn in place; it is cleared before
    anything else is written, so the start's own line never lands after the spinner's text."""
    from test_interactive import Terminal
    configure(okta, [{"type": "push", "polls": 3, "number": 42}])
    add_session(world, sts, "okta", okta.saml_url)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice", "--mfa-factor", "push"],
                 dict(world.env, LEAPP_POLL_INTERVAL_MS="300"))
    t.expect("Password"); t.send(PASSWORD)
    out = t.expect("started as").decode(errors="replace")
    t.wait()
    assert "waiting for" in out, out
    last_wait = out.rindex("waiting for")
    tail = out[last_wait:]
    assert "\r\x1b[2K" in tail[:tail.index("started as")], repr(tail)
