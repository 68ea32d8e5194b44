"""Browser login with Debian's real Chromium, headless, driven over the DevTools pipe. The
person is played by the simulator's page itself (its "autofill" test switch): a script fills
the form and submits it, as a password manager would; the IdP then serves its auto-post page
to the AWS sign-in URL, which leapp catches inside the browser."""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config, start
from test_interactive import Terminal

ARN = "arn:aws:sts::123456789012:assumed-role/Developer/alice"
WEBAUTHN_USER = {"alice": {"password": PASSWORD, "webauthn": True}}


@pytest.fixture
def browser_world(world):
    """The world with a private TMPDIR (where profiles go: short, as socket paths must be)
    and headless Chromium."""
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="lb-"))
    world.env.update({"TMPDIR": str(tmp), "LEAPP_BROWSER_HEADLESS": "1", "LEAPP_BROWSER_TIMEOUT": "60"})
    world.tmp = tmp
    yield world
    shutil.rmtree(tmp, ignore_errors=True)


def autofill(keycloak, **extra):
    keycloak.configure(keycloak_config(autofill={"username": "alice", "password": PASSWORD, "webauthn": True}, **extra))


def browser_processes(world):
    """Processes whose command line names a profile under the world's TMPDIR."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"--user-data-dir={world.tmp}/leapp-browser-" in cmdline:
            found.append(int(entry.name))
    return found


def main_browser_process(world):
    """The browser process itself: the one of them without a `--type=` (renderer, utility,
    zygote...). Not the lowest pid: pids wrap around on a machine that has run long."""
    for pid in browser_processes(world):
        try:
            if b"--type=" not in pathlib.Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    raise AssertionError("no main browser process")


def wait_for_browser(world, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if browser_processes(world):
            time.sleep(0.5)  # let it load the login page
            return
        time.sleep(0.05)
    raise TimeoutError("the browser never started")


def assert_no_trace(world):
    assert list(world.tmp.iterdir()) == [], "a browser profile was left behind"
    assert browser_processes(world) == [], "a browser process outlived the login"


def idp_record(world):
    idp_id = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    return json.loads(world.secret_lookup("idp-session", idp_id))


def test_first_login_through_the_browser(browser_world, keycloak, sts):
    world = browser_world
    autofill(keycloak)
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--browser", "--verbose")
    assert r.returncode == 0, r.stderr
    assert f"started as {ARN}" in r.stderr
    assert keycloak.get("/_sim/stats")["password_posts"] == 1
    # --verbose shows the navigations and the catch, never the assertion or the cookies.
    assert f"browser: at {keycloak.url}/realms/acme/protocol/saml/clients/amazon-aws" in r.stderr
    assert "browser: caught the POST to signin.aws.amazon.com/saml" in r.stderr
    for secret in ("SAMLResponse", "KEYCLOAK_IDENTITY", PASSWORD, "session_code="):
        assert secret not in r.stderr
    # The IdP session the browser earned is in the keyring, in the record headless logins use.
    assert "KEYCLOAK_IDENTITY" in idp_record(world)["cookies"]
    assert_no_trace(world)


def test_second_browser_login_goes_straight_through(browser_world, keycloak, sts):
    world = browser_world
    autofill(keycloak)
    add_keycloak_session(world, keycloak, sts)
    world.ok("session", "start", "dev", "--browser")
    r = world.leapp("session", "start", "dev", "--browser", "--force", "--verbose")
    assert r.returncode == 0, r.stderr
    # The login page fills itself in when served: it never was the second time.
    stats = keycloak.get("/_sim/stats")
    assert stats["password_posts"] == 1 and stats["saml_issued"] == 2
    assert "login-actions/authenticate" not in r.stderr
    assert_no_trace(world)


def test_headless_refresh_replays_what_the_browser_earned(browser_world, keycloak, sts):
    """A realm that asks for a security key: the headless driver cannot answer that page, the
    browser can; afterwards every headless refresh rides on the IdP session it earned."""
    world = browser_world
    autofill(keycloak, users=WEBAUTHN_USER)
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode != 0 and "security key (WebAuthn)" in r.stderr and "--browser" in r.stderr
    r = world.leapp("session", "start", "dev", "--browser")
    assert r.returncode == 0, r.stderr
    assert keycloak.get("/_sim/stats")["webauthn_posts"] == 1
    r = world.leapp("session", "start", "dev", "--force")
    assert r.returncode == 0, r.stderr
    # `leapp env` refreshes silently too (a margin longer than the credentials forces it).
    r = world.leapp("env", "dev", env={"LEAPP_REFRESH_MARGIN": "7200"})
    assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, r.stderr
    stats = keycloak.get("/_sim/stats")
    assert stats["webauthn_posts"] == 1 and stats["saml_issued"] == 3
    assert_no_trace(world)


def test_role_discovery_through_the_browser(browser_world, keycloak, sts):
    world = browser_world
    other = "arn:aws:iam::123456789012:role/Auditor"
    autofill(keycloak, roles=[[ROLE, IDP], [other, IDP]])
    world.ok("idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url,
             "--login-method", "browser")
    r = world.leapp("idp-url", "roles", "acme")
    assert r.returncode == 0, r.stderr
    assert ROLE in r.stdout and other in r.stdout
    assert_no_trace(world)


def test_a_person_at_a_terminal_is_offered_the_browser(browser_world, keycloak, sts):
    world = browser_world
    autofill(keycloak, users=WEBAUTHN_USER)
    add_keycloak_session(world, keycloak, sts)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
    t.expect("Password"); t.send(PASSWORD)
    t.expect("security key (WebAuthn)")
    t.expect("in a browser instead? [Y/n] "); t.send("")
    assert t.wait() == 0, t.output.decode(errors="replace")
    assert keycloak.get("/_sim/stats")["webauthn_posts"] == 1
    assert_no_trace(world)


def test_without_a_display_it_says_what_to_run(browser_world, keycloak, sts):
    world = browser_world
    autofill(keycloak, users=WEBAUTHN_USER)
    add_keycloak_session(world, keycloak, sts)
    env = {"LEAPP_BROWSER_HEADLESS": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    r = world.leapp("session", "start", "dev", "--browser", env=env)
    assert r.returncode == 75
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in r.stderr and "--saml-response-file" in r.stderr
    # A person at a terminal without a display is not offered a window it cannot get.
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], {**world.env, **env})
    t.expect("Password"); t.send(PASSWORD)
    t.expect("no display here")
    assert t.wait() != 0
    assert b"[Y/n]" not in t.output
    assert_no_trace(world)


def test_no_browser_found_names_the_package(browser_world, keycloak, sts):
    world = browser_world
    autofill(keycloak)
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--browser", env={"PATH": str(pathlib.Path(world.env["LEAPP_BIN"]).parent)})
    assert r.returncode == 74
    assert "no Chromium-family browser found" in r.stderr and "apt install chromium" in r.stderr
    r = world.leapp("session", "start", "dev", "--browser", env={"LEAPP_BROWSER_BINARY": "/nonexistent/chrome"})
    assert r.returncode == 74 and "LEAPP_BROWSER_BINARY" in r.stderr
    # With a display and no browser, no window is announced before the error.
    r = world.leapp("session", "start", "dev", "--browser", env={"PATH": str(pathlib.Path(world.env["LEAPP_BIN"]).parent),
                                                                   "LEAPP_BROWSER_HEADLESS": "", "DISPLAY": ":99"})
    assert r.returncode == 74 and "browser window" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert_no_trace(world)


def pending_browser_login(world, keycloak, sts):
    """A `--browser` start waiting at a login page nobody fills in, its browser up."""
    keycloak.configure(keycloak_config())
    add_keycloak_session(world, keycloak, sts)
    proc = subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", "dev", "--browser"], env=world.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_browser(world)
    return proc


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_leaves_no_browser_and_no_profile(browser_world, keycloak, sts, sig):
    world = browser_world
    proc = pending_browser_login(world, keycloak, sts)
    proc.send_signal(sig)
    proc.wait(20)
    assert proc.returncode == -sig, proc.stderr.read()
    assert_no_trace(world)


def test_a_crashed_browser_is_reported_and_cleaned_up(browser_world, keycloak, sts):
    world = browser_world
    proc = pending_browser_login(world, keycloak, sts)
    main = main_browser_process(world)
    # While it runs: a pipe, not a port; its password store away from the keyring; a private profile.
    argv = pathlib.Path(f"/proc/{main}/cmdline").read_bytes().replace(b"\0", b" ").split()  # Chromium rewrites its title
    assert b"--remote-debugging-pipe" in argv and not any(a.startswith(b"--remote-debugging-port") for a in argv)
    assert b"--password-store=basic" in argv
    profile = next(a for a in argv if a.startswith(b"--user-data-dir=")).split(b"=", 1)[1].decode()
    assert os.stat(profile).st_mode & 0o777 == 0o700
    os.kill(main, signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 69, err
    assert "the browser crashed (signal 9) before the login finished" in err
    assert len(err.strip().splitlines()) == 1
    assert_no_trace(world)


def test_the_person_closing_the_browser_is_said_as_such(browser_world, keycloak, sts):
    """Closing the last window ends the browser the way SIGTERM does: cleanly."""
    world = browser_world
    proc = pending_browser_login(world, keycloak, sts)
    os.kill(main_browser_process(world), signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 75, err
    assert "the browser was closed before the login finished" in err and "run the command again" in err
    assert_no_trace(world)


def test_a_browser_that_exits_at_once(browser_world, keycloak, sts):
    world = browser_world
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--browser", env={"LEAPP_BROWSER_BINARY": "/bin/true"})
    assert r.returncode == 75 and "the browser was closed before the login finished" in r.stderr
    assert_no_trace(world)


def test_timeout(browser_world, keycloak, sts):
    world = browser_world
    keycloak.configure(keycloak_config())
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "start", "dev", "--browser", env={"LEAPP_BROWSER_TIMEOUT": "3"})
    assert r.returncode == 75
    assert "did not finish within 3s" in r.stderr and "LEAPP_BROWSER_TIMEOUT" in r.stderr
    assert_no_trace(world)


def test_no_window_opens_unasked_for_a_browser_idp_url(browser_world, keycloak, sts):
    """An IdP URL whose method is browser, refreshed where no one can use a window (the AWS
    CLI, the hook, a script): the IdP session the browser earned is replayed headlessly, and
    when that is not enough the message says what to run, without starting a browser."""
    world = browser_world
    autofill(keycloak)
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url,
             "--login-method", "browser")
    world.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "acme",
             "--idp-arn", IDP, "--role-arn", ROLE)
    world.ok("session", "start", "dev")  # the IdP URL's method: the (headless) browser
    no_browser = {"LEAPP_BROWSER_HEADLESS": "", "DISPLAY": ":0", "LEAPP_BROWSER_BINARY": "/nonexistent/chrome",
                  "LEAPP_REFRESH_MARGIN": "7200"}
    r = world.leapp("credential-process", "dev", env=no_browser)
    assert r.returncode == 0, r.stderr
    assert keycloak.get("/_sim/stats")["saml_issued"] == 2
    keycloak.post("/_sim/expire-sessions")
    r = world.leapp("credential-process", "dev", env={**no_browser, "LEAPP_REFRESH_MARGIN": "0"})
    assert r.returncode == 0, "still-valid credentials serve"
    r = world.leapp("session", "start", "dev", "--force", env=no_browser, input="")
    assert r.returncode == 75, r.stderr
    assert "acme logs in in a browser, and no one is at a terminal to use it; run `leapp session start dev`" in r.stderr
    assert_no_trace(world)


def test_okta_security_key_through_the_browser(browser_world, okta, sts):
    """Okta's sign-in is a script (the widget); with a security-key factor the headless driver
    stops, the browser gets through, and the Okta session it earned refreshes headlessly."""
    from conftest import add_session
    world = browser_world
    okta.configure({"users": {"alice": {"password": PASSWORD, "factors": [{"type": "webauthn"}]}}, "roles": [[ROLE, IDP]],
                    "autofill": {"username": "alice", "password": PASSWORD}})
    add_session(world, sts, "okta", okta.saml_url)
    r = start(world)
    assert r.returncode == 69 and "cannot be used headlessly" in r.stderr
    r = world.leapp("session", "start", "dev", "--browser")
    assert r.returncode == 0, r.stderr
    assert okta.get("/_sim/stats")["webauthn"] == 1
    r = world.leapp("session", "start", "dev", "--force", input="")
    assert r.returncode == 0, r.stderr
    assert okta.get("/_sim/stats")["saml_issued"] == 2
    assert_no_trace(world)


def test_a_browser_session_of_unknown_owner_never_serves_another_username(browser_world, keycloak, sts):
    """The browser login named no user: the IdP session it earned is alice's (autofill), but the
    record cannot say so. A later `--username bob` must log in as bob, never ride on it."""
    world = browser_world
    autofill(keycloak)
    add_keycloak_session(world, keycloak, sts)
    assert world.leapp("session", "start", "dev", "--browser").returncode == 0
    r = world.leapp("session", "start", "dev", "--force", "--username", "bob", "--password-stdin", input="wrong\n")
    assert r.returncode != 0 and f"started as {ARN}" not in r.stderr, r.stderr
    assert keycloak.get("/_sim/stats")["password_posts"] == 2, "bob's login went to the IdP"
    # Without a username the kept session still serves (the person who logged in).
    r = world.leapp("session", "start", "dev", "--force")
    assert r.returncode == 0 and f"started as {ARN}" in r.stderr, r.stderr
    assert_no_trace(world)
