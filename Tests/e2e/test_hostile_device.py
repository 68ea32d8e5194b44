"""A hostile Okta Identity Engine org: what its device authorization answer carries must never
become an option of another program, reach the terminal raw, crash leapp or stall it; and
parallel refreshes of one IdP URL must not spend each other's rotating refresh token."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import add_session
from test_okta_oie import CLIENT, add_oie_session, approve_when_asked, device_start, idp_record, oie


def opener_script(tmp_path, sleep=0):
    """An opener that records its arguments (one per line), and its pid, then maybe stays."""
    opened, pidfile, script = tmp_path / "opened", tmp_path / "opener.pid", tmp_path / "opener"
    body = f'#!/bin/sh\necho $$ > {pidfile}\nfor a in "$@"; do printf "%s\\n" "$a"; done > {opened}\n'
    if sleep:
        body += f"exec sleep {sleep}\n"
    script.write_text(body)
    script.chmod(0o755)
    return script, opened, pidfile


@pytest.mark.parametrize("hostile", [
    "--renderer-cmd-prefix=touch /tmp/leapp-pwned",
    "file:///etc/passwd",
    "https://evil.example/activate?user_code={code}",
    "http://ORIGIN@evil.example/activate",
    "ORIGIN/activate?user_code={code}\" --foo",
])
def test_only_the_orgs_own_https_url_is_opened(world, okta, sts, tmp_path, hostile):
    oie(okta, device_answer={"verification_uri_complete": hostile.replace("ORIGIN", okta.url)})
    add_oie_session(world, okta, sts)
    opener, opened, _ = opener_script(tmp_path)
    approve_when_asked(okta)
    t = device_start(world, "--verbose", env={"LEAPP_BROWSER": str(opener), "DISPLAY": ":0"})
    assert t.wait(timeout=30) == 0, t.output.decode(errors="replace")
    for _ in range(100):  # the opener runs detached: give it a moment to write
        if opened.exists() and opened.read_text():
            break
        time.sleep(0.05)
    # The plain verification page of the org's own origin is opened instead, as one argument.
    assert opened.exists(), t.output.decode(errors="replace")
    assert opened.read_text().splitlines() == [f"{okta.url}/activate"]
    assert "leapp will not open it" in t.output.decode(errors="replace")


def test_no_url_at_all_is_opened_when_both_are_hostile(world, okta, sts, tmp_path):
    oie(okta, device_answer={"verification_uri": "-x", "verification_uri_complete": "ssh://evil.example/"})
    add_oie_session(world, okta, sts)
    opener, opened, _ = opener_script(tmp_path)
    approve_when_asked(okta)
    t = device_start(world, env={"LEAPP_BROWSER": str(opener), "DISPLAY": ":0"})
    assert t.wait(timeout=30) == 0, t.output.decode(errors="replace")
    time.sleep(0.3)
    assert not opened.exists()


def test_escape_sequences_from_the_idp_never_reach_the_terminal(world, okta, sts):
    forged = "\nleapp: started dev as arn:aws:sts::999999999999:assumed-role/Admin/x"
    oie(okta, device_answer={
        "user_code": "\x1b]52;c;ZXZpbA==\x07{code}\x1b[2J\u009b31m" + forged,
        "verification_uri": okta.url + "/activate\x1b]0;pwned\x07",
    })
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    t = device_start(world)
    assert t.wait(timeout=30) == 0, t.output.decode(errors="replace")
    out = t.output
    assert b"\x1b]" not in out, "no OSC sequence (clipboard, title)"
    assert b"\x1b[2J" not in out and b"\xc2\x9b" not in out, "no screen clear, no C1 CSI"
    assert b"\nleapp: started dev as arn:aws:sts::999999999999" not in out, "no forged leapp: line"
    assert b"?leapp: started dev as arn:aws:sts::999999999999" in out, "shown, made harmless"


def test_an_opener_that_stays_does_not_hold_the_login(world, okta, sts, tmp_path):
    oie(okta)
    add_oie_session(world, okta, sts)
    opener, opened, pidfile = opener_script(tmp_path, sleep=120)
    approve_when_asked(okta, delay=0.5)
    started = time.time()
    try:
        t = device_start(world, env={"LEAPP_BROWSER": str(opener), "DISPLAY": ":0"})
        assert t.wait(timeout=40) == 0, t.output.decode(errors="replace")
        assert time.time() - started < 30
        assert "expired" not in t.output.decode(errors="replace")
        # Detached: its own session, so it is not in leapp's process group nor on the terminal.
        pid = int(pidfile.read_text())
        assert os.getsid(pid) == pid
    finally:
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_an_interval_of_zero_is_not_a_busy_loop(world, okta, sts):
    oie(okta, device_answer={"interval": 0})
    add_oie_session(world, okta, sts)
    approve_when_asked(okta, delay=1.5)
    t = device_start(world)
    assert t.wait(timeout=30) == 0, t.output.decode(errors="replace")
    stats = okta.get("/_sim/stats")
    assert stats["slow_down"] == 0 and stats["device_polls"] <= 5, stats


def test_huge_numbers_neither_crash_nor_stall(world, okta, sts):
    oie(okta, device_answer={"interval": 1e300, "expires_in": 2})
    add_oie_session(world, okta, sts)
    started = time.time()
    t = device_start(world)
    assert t.wait(timeout=30) == 75, t.output.decode(errors="replace")
    assert time.time() - started < 15
    assert "device code expired" in t.output.decode(errors="replace")


def test_the_flow_stops_at_its_own_expires_in(world, okta, sts):
    # The server never says expired_token (its code lives 600 s) and keeps saying slow_down.
    oie(okta, device_min_interval=1000, device_answer={"expires_in": 3})
    add_oie_session(world, okta, sts)
    started = time.time()
    t = device_start(world)
    assert t.wait(timeout=40) == 75, t.output.decode(errors="replace")
    assert time.time() - started < 15
    assert "device code expired" in t.output.decode(errors="replace")


def test_parallel_refreshes_share_one_rotation(world, okta, sts):
    oie(okta)
    add_oie_session(world, okta, sts)
    for alias in ("qa", "ops", "prod", "sec"):
        add_session(world, sts, "okta", okta.saml_url, alias=alias)
    approve_when_asked(okta)
    assert device_start(world).wait(timeout=30) == 0
    # Every session now logs in from the refresh material, five processes at once.
    okta.post("/_sim/expire-access-tokens")
    before = okta.get("/_sim/stats")["refresh"]
    env = dict(world.env, LEAPP_REFRESH_MARGIN="7200")
    procs = [subprocess.Popen([world.env["LEAPP_BIN"], "credential-process", alias], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for alias in ("dev", "qa", "ops", "prod", "sec")]
    results = [(p.wait(60), p.stdout.read(), p.stderr.read()) for p in procs]
    for rc, out, err in results:
        assert rc == 0, err
        assert json.loads(out)["Version"] == 1
    assert okta.get("/_sim/stats")["refresh"] - before == 1, "one rotation, the others read the new tokens"
    assert idp_record(world)["oauth"]["refreshToken"], "the tokens are still there"


def test_a_refused_refresh_token_leaves_the_record(world, okta, sts):
    oie(okta)
    add_oie_session(world, okta, sts)
    approve_when_asked(okta)
    assert device_start(world).wait(timeout=30) == 0
    assert idp_record(world)["oauth"]["refreshToken"]
    okta.post("/_sim/expire-access-tokens")
    okta.post("/_sim/revoke-refresh-tokens")
    r = world.leapp("--no-interactive", "session", "start", "dev", "--force", input="", timeout=30)
    assert r.returncode == 75, r.stderr
    assert idp_record(world).get("oauth") is None
