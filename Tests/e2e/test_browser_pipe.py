"""Browser login against a stand-in browser on the DevTools pipe (fake_browser.py): the catch on
every partition's sign-in page, a huge post, a browser that ignores SIGTERM with a helper in its
group, and profiles a killed leapp left behind. Real Chromium is in test_browser.py."""
import fcntl
import json
import os
import pathlib
import shutil
import tempfile
import time

import pytest

from conftest import IDP, ROLE, add_keycloak_session

FAKE = str(pathlib.Path(__file__).with_name("fake_browser.py"))


@pytest.fixture
def fake_world(world, keycloak, sts, tmp_path):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="lf-"))
    world.env.update({"TMPDIR": str(tmp), "LEAPP_BROWSER_HEADLESS": "1", "LEAPP_BROWSER_TIMEOUT": "20",
                      "LEAPP_BROWSER_BINARY": FAKE, "FAKE_BROWSER_ROLE": f"{ROLE},{IDP}",
                      "FAKE_BROWSER_LOG": str(tmp_path / "browser.log")})
    world.tmp = tmp
    add_keycloak_session(world, keycloak, sts)
    yield world
    shutil.rmtree(tmp, ignore_errors=True)


def browser_start(world, **env):
    return world.leapp("session", "start", "dev", "--browser", env=env, timeout=60)


@pytest.mark.parametrize("url, partition", [
    ("https://signin.aws.amazon.com/saml", None),
    ("https://signin.amazonaws-us-gov.com/saml", "aws-us-gov"),
    ("https://signin.amazonaws.cn/saml", "aws-cn"),
])
def test_the_post_is_caught_on_every_partitions_sign_in_page(fake_world, url, partition):
    r = browser_start(fake_world, FAKE_BROWSER_MODE="catch", FAKE_BROWSER_URL=url)
    if partition is None:
        assert r.returncode == 0, r.stderr
    else:
        # Caught, read, and held against the session's role: the partition is the page's.
        assert r.returncode != 0
        assert f"the IdP posts to the {partition} sign-in page but the role is in aws" in r.stderr, r.stderr
    assert list(fake_world.tmp.iterdir()) == []


def test_a_post_to_another_page_is_not_caught(fake_world):
    r = browser_start(fake_world, FAKE_BROWSER_MODE="catch", FAKE_BROWSER_URL="https://signin.aws.amazon.com.evil.example/saml",
                      LEAPP_BROWSER_TIMEOUT="3")
    assert r.returncode == 75 and "did not finish within" in r.stderr, r.stderr


def test_a_huge_post_is_refused_by_name_and_fast(fake_world):
    started = time.time()
    r = browser_start(fake_world, FAKE_BROWSER_MODE="huge", FAKE_BROWSER_MB="40")
    assert r.returncode != 0 and "larger than 32 MiB" in r.stderr, r.stderr
    assert "closed" not in r.stderr
    assert time.time() - started < 20
    # Under the pipe's cap: read in linear time, then judged as a SAMLResponse (too large for one).
    started = time.time()
    r = browser_start(fake_world, FAKE_BROWSER_MODE="huge", FAKE_BROWSER_MB="24")
    assert r.returncode != 0 and "the SAMLResponse is larger than 4 MiB" in r.stderr, r.stderr
    assert time.time() - started < 20


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_a_browser_that_ignores_sigterm_is_stopped_with_its_group(fake_world, tmp_path):
    r = browser_start(fake_world, FAKE_BROWSER_MODE="stubborn", LEAPP_BROWSER_TIMEOUT="2")
    assert r.returncode == 75 and "did not finish within" in r.stderr, r.stderr
    lines = (tmp_path / "browser.log").read_text().splitlines()
    helper = int(lines[1])
    deadline = time.time() + 5
    while alive(helper) and time.time() < deadline:
        time.sleep(0.05)
    assert not alive(helper), "the browser's helper outlived the login"
    assert list(fake_world.tmp.iterdir()) == []


def make_profile(base, name, held=False):
    profile = base / f"leapp-browser-{name}"
    profile.mkdir(mode=0o700)
    (profile / "Cookies").write_text("KEYCLOAK_SESSION=secret")
    fd = os.open(profile / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
    if held:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return profile, fd
    os.close(fd)
    return profile, None


def test_profiles_a_killed_leapp_left_are_swept(fake_world):
    stale, _ = make_profile(fake_world.tmp, "dead01")
    live, fd = make_profile(fake_world.tmp, "live01", held=True)
    try:
        r = browser_start(fake_world, FAKE_BROWSER_MODE="catch", FAKE_BROWSER_URL="https://signin.aws.amazon.com/saml")
        assert r.returncode == 0, r.stderr
        assert not stale.exists(), "a dead leapp's profile (IdP cookies) is removed"
        assert live.exists(), "a running leapp's profile is left alone"
    finally:
        os.close(fd)


def test_profiles_go_where_a_reboot_clears_them(fake_world, tmp_path):
    runtime = pathlib.Path(tempfile.mkdtemp(prefix="lr-"))
    try:
        r = browser_start(fake_world, FAKE_BROWSER_MODE="catch", FAKE_BROWSER_URL="https://signin.aws.amazon.com/saml",
                          XDG_RUNTIME_DIR=str(runtime))
        assert r.returncode == 0, r.stderr
        argv = json.loads((tmp_path / "browser.log").read_text().splitlines()[0])
        profile = next(a.split("=", 1)[1] for a in argv if a.startswith("--user-data-dir="))
        assert profile.startswith(f"{runtime}/leapp-browser-")
        assert list(runtime.iterdir()) == []
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
