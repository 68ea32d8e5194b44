"""Side-by-side consoles: each session's web console opens in a browser profile of its own.
Debian's real Chromium runs (headless, through a wrapper that records its command line), loads
leapp's redirect file and signs in at the federation endpoint (the STS front's) in that profile."""
import json
import time

from conftest import add_keycloak_session, start

ADMIN = "arn:aws:iam::210987654321:role/Admin"


def chromium_wrapper(world):
    """A browser that records its argv, then runs the real Chromium headless with it."""
    logs = world.root / "launches"
    logs.mkdir()
    wrapper = world.root / "chromium-wrapper"
    wrapper.write_text(f"""#!/bin/sh
printf '%s\\n' "$@" > {logs}/$$.argv
chromium --headless=new --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "$@" > {logs}/$$.dom 2>/dev/null
touch {logs}/$$.done
""")
    wrapper.chmod(0o755)
    world.env["LEAPP_BROWSER_BINARY"] = str(wrapper)
    return logs


def wait_for(condition, seconds=45):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_sessions_open_in_two_profiles(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    world.ok("session", "add", "--parent", "dev", "--alias", "admin", "--role-arn", ADMIN)
    start(world, check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"
    logs = chromium_wrapper(world)
    ids = {s["alias"]: s["id"] for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}
    for alias in ("dev", "admin"):
        r = world.leapp("session", "open-web-console", alias)
        assert r.returncode == 0, r.stderr
        assert "in its own browser profile" in r.stderr
    assert wait_for(lambda: len(list(logs.glob("*.argv"))) == 2)
    launches = [p.read_text().splitlines() for p in logs.glob("*.argv")]
    profiles = sorted(next(a for a in argv if a.startswith("--user-data-dir=")).split("=", 1)[1] for argv in launches)
    expected = sorted(str(world.root / "data" / "leapp" / "consoles" / ids[a]) for a in ("dev", "admin"))
    assert profiles == expected
    for argv in launches:
        assert argv[-2] == "--" and argv[-1].startswith("file://") and argv[-1].endswith(".html")
        assert not any("SigninToken" in a for a in argv)
    # The real browser used each profile and signed in there with that session's own token.
    assert wait_for(lambda: len(sts.get("/_sim/calls")["console_logins"]) == 2)
    assert len(set(sts.get("/_sim/calls")["console_logins"])) == 2
    consoles = world.root / "data" / "leapp" / "consoles"
    assert consoles.stat().st_mode & 0o077 == 0
    for profile in expected:
        # Chromium's own profile files: the browser ran in this directory, not the default one.
        assert wait_for(lambda: (consoles / profile / "Default").is_dir())
    # A deleted session's profile goes with it (once its browser is gone: a running one writes it again).
    assert wait_for(lambda: len(list(logs.glob("*.done"))) == 2)
    world.ok("session", "delete", "admin")
    assert not (world.root / "data" / "leapp" / "consoles" / ids["admin"]).exists()


def test_same_profile_and_print_keep_their_behaviour(world, keycloak, sts, tmp_path):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"
    logs = chromium_wrapper(world)
    opened = tmp_path / "opened"
    opener = tmp_path / "opener"
    opener.write_text(f"#!/bin/sh\necho \"$@\" > {opened}\n")
    opener.chmod(0o755)
    r = world.leapp("session", "open-web-console", "dev", "--same-profile", env={"LEAPP_BROWSER": str(opener)})
    assert r.returncode == 0, r.stderr
    assert wait_for(opened.exists, 10)
    assert opened.read_text().strip().endswith(".html") and "--user-data-dir" not in opened.read_text()
    url = world.ok("session", "open-web-console", "dev", "--print").stdout.strip()
    assert "SigninToken=" in url
    assert list(logs.glob("*.argv")) == []     # neither opened the session's own profile


def test_without_a_browser_family_the_default_browser_opens_with_a_note(world, keycloak, sts, tmp_path):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"
    opened = tmp_path / "opened"
    opener = tmp_path / "opener"
    opener.write_text(f"#!/bin/sh\necho \"$@\" > {opened}\n")
    opener.chmod(0o755)
    bare_path = tmp_path / "bin"
    bare_path.mkdir()
    r = world.leapp("session", "open-web-console", "dev",
                    env={"LEAPP_BROWSER": str(opener), "PATH": f"{bare_path}:/usr/bin/nonexistent"})
    assert r.returncode == 0, r.stderr
    assert "no Chromium-family browser or Firefox" in r.stderr
    assert wait_for(opened.exists, 10)
