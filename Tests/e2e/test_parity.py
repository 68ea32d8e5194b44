"""Leapp parity: named profiles, default region, one active session per profile, the start
lock, session current/list/generate, addressing, the web console."""
import fcntl
import json
import time
import os
import stat
import urllib.parse
import urllib.request

from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, start


def sessions(world):
    return {s["alias"]: s for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}


def test_profiles_and_default_region(world, keycloak, sts):
    assert world.ok("region", "get-default").stdout == "us-east-1\n"
    world.ok("region", "set-default", "eu-central-1")
    assert world.leapp("region", "set-default", "mars-1").returncode != 0
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("session", "add", "--alias", "a", "--profile", "team", "--idp-url", keycloak.saml_url, "--provider", "keycloak",
             "--idp-arn", IDP, "--role-arn", ROLE)
    assert sessions(world)["a"]["region"] == "eu-central-1"
    world.ok("profile", "create", "spare")
    profiles = {p["name"]: p["sessions"] for p in json.loads(world.ok("profile", "list", "--format", "json").stdout)}
    assert profiles == {"default": [], "team": ["a"], "spare": []}
    r = world.leapp("profile", "delete", "team")
    assert r.returncode != 0 and "used by a" in r.stderr
    world.ok("profile", "edit", "team", "--name", "squad")
    assert sessions(world)["a"]["profile"] == "squad"
    world.ok("profile", "delete", "squad", "--force")
    assert sessions(world)["a"]["profile"] == "default"
    assert world.leapp("profile", "delete", "default").returncode != 0
    world.ok("session", "change-profile", "a", "spare")
    world.ok("session", "change-region", "a", "us-west-2")
    s = sessions(world)["a"]
    assert (s["profile"], s["region"]) == ("spare", "us-west-2")


def test_one_active_session_per_profile(world, keycloak, sts, moto):
    add_keycloak_session(world, keycloak, sts, alias="first", profile="shared")
    add_keycloak_session(world, keycloak, sts, alias="second", profile="shared")
    assert start(world, alias="first").returncode == 0
    r = start(world, alias="second")
    assert r.returncode == 0 and "session first stopped (profile shared now belongs to second)" in r.stderr
    states = {a: s["state"] for a, s in sessions(world).items()}
    assert states == {"first": "stopped", "second": "active"}
    assert "credential-process second" in world.aws_path("config").read_text()


def test_start_refused_while_another_start_of_the_profile_runs(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    lock_dir = world.root / "data" / "leapp" / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "profile-dev.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = start(world)
        assert r.returncode == 75 and "another `leapp session start` for profile dev is in progress" in r.stderr
    assert start(world).returncode == 0


def test_session_current_formats(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    add_keycloak_session(world, keycloak, sts, alias="other", profile="other")
    start(world, check=True)
    doc = json.loads(world.ok("session", "current").stdout)
    assert doc["alias"] == "dev" and doc["roleArn"] == ROLE and doc["region"] == "eu-west-1" and doc["expiration"].endswith("Z")
    assert world.ok("session", "current", "--format", "alias accountNumber roleArn", "--inline").stdout == \
        f"alias: dev accountNumber: 123456789012 roleArn: {ROLE}\n"
    start(world, alias="other", check=True)
    r = world.leapp("session", "current")
    assert r.returncode != 0 and "2 sessions are active: dev, other" in r.stderr
    assert json.loads(world.ok("session", "current", "--profile", "other").stdout)["alias"] == "other"
    r = world.leapp("session", "current", "--format", "alias bogus")
    assert r.returncode != 0 and "unknown key 'bogus'" in r.stderr


def test_session_list_filters_sorts_and_formats(world, keycloak, sts):
    for alias, profile in (("zeta", "p1"), ("alpha", "p2"), ("mid", "p1")):
        add_keycloak_session(world, keycloak, sts, alias=alias, profile=profile)
    rows = json.loads(world.ok("session", "list", "--output", "json", "--filter", "profile=p1", "--sort", "alias").stdout)
    assert [r["alias"] for r in rows] == ["mid", "zeta"]
    rows = json.loads(world.ok("session", "list", "--output", "json", "--filter", "Named Profile=p2").stdout)
    assert [r["alias"] for r in rows] == ["alpha"]
    csv = world.ok("session", "list", "--output", "csv", "--sort", "alias").stdout.splitlines()
    assert csv[0].startswith("alias,profile,region,account,accountId,state")
    assert csv[1].startswith("alpha,p2,eu-west-1,123456789012,123456789012,stopped")
    yaml = world.ok("session", "list", "--output", "yaml", "--filter", "alias=mid").stdout
    assert yaml.startswith('- alias: "mid"\n  profile: "p1"\n')
    r = world.leapp("session", "list", "--filter", "nonsense=1")
    assert r.returncode != 0 and "unknown column" in r.stderr


def test_generate_and_addressing(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts, alias="payments-prod", profile="pp")
    add_keycloak_session(world, keycloak, sts, alias="payments-dev", profile="pd")
    r = world.leapp("session", "start", "payments", input="")
    assert r.returncode != 0 and "matches several sessions: payments-prod, payments-dev" in r.stderr
    r = world.leapp("session", "start", "payments-p", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 0 and "session payments-prod started" in r.stderr
    sid = sessions(world)["payments-prod"]["id"]
    doc = json.loads(world.ok("session", "generate", sid).stdout)
    assert doc["Version"] == 1 and doc["AccessKeyId"].startswith("ASIA")


def test_open_web_console(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"
    url = world.ok("session", "open-web-console", "dev", "--print").stdout.strip()
    parsed = urllib.parse.urlparse(url)
    query = urllib.parse.parse_qs(parsed.query)
    assert query["Action"] == ["login"] and query["SigninToken"][0].startswith("signin-")
    assert query["Destination"] == ["https://console.aws.amazon.com/console/home?region=eu-west-1"]

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    try:
        urllib.request.build_opener(NoRedirect).open(url)
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as e:
        assert e.code == 302 and e.headers["Location"].startswith("https://console.aws.amazon.com/")
    # Opening: the browser gets a private file; the token never appears in its argv.
    log = world.root / "browser.log"
    browser = world.root / "browser"
    browser.write_text(f'#!/bin/sh\necho "$@" > {log}\nstat -c %a "$1" >> {log}\ncat "$1" >> {log}\n')
    browser.chmod(0o755)
    r = world.leapp("session", "open-web-console", "dev", "--same-profile", env={"LEAPP_BROWSER": str(browser)})
    assert r.returncode == 0, r.stderr
    deadline = time.time() + 10  # the opener runs detached: wait (bounded) for it to finish writing
    while time.time() < deadline and "</title>" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.05)
    argv, mode, page = log.read_text().split("\n", 2)
    assert "SigninToken" not in argv and argv.endswith(".html")
    assert mode == "600" and "SigninToken=signin-" in page


def test_old_console_redirects_are_removed(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.env["LEAPP_FEDERATION_URL"] = sts.url + "/federation"
    run_dir = world.root / "run" / "leapp"
    run_dir.mkdir(parents=True, exist_ok=True)
    stale = run_dir / "console-old.html"
    stale.write_text("expired token")
    os.utime(stale, (1_000_000, 1_000_000))
    world.ok("session", "open-web-console", "dev", "--same-profile", env={"LEAPP_BROWSER": "true"})
    # No opener on this machine is a setup matter (exit 74), not a usage error, and says what to do.
    r = world.leapp("session", "open-web-console", "dev", "--same-profile", env={"LEAPP_BROWSER": "/nonexistent/xdg-open"})
    assert r.returncode == 74 and "cannot run /nonexistent/xdg-open" in r.stderr and "--print" in r.stderr
    assert not stale.exists()
    assert len(list(run_dir.glob("console-*.html"))) == 1


def test_parallel_credential_process_calls_make_one_login(world, keycloak, sts):
    import subprocess
    import time as _time
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    sid = sessions(world)["dev"]["id"]
    # Credentials about to expire: every caller would log in again, were they not coalesced.
    doc = json.loads(world.ok("credential-process", "dev").stdout)
    soon = {"accessKeyId": doc["AccessKeyId"], "secretAccessKey": doc["SecretAccessKey"], "sessionToken": doc["SessionToken"],
            "expiration": _time.time() + 60}
    world.run(["secret-tool", "store", "--label", "x", "xdg:schema", "dev.leapp-swift.Secret", "kind", "credentials", "key", sid],
              input=json.dumps(soon))
    world.ok("lock")  # written behind leapp's back: drop the kernel cache's copy
    before = keycloak.get("/_sim/stats")["saml_issued"]
    procs = [subprocess.Popen([world.env["LEAPP_BIN"], "credential-process", "dev"], env=world.env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    keys = set()
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        keys.add(json.loads(out)["AccessKeyId"])
    assert keycloak.get("/_sim/stats")["saml_issued"] - before == 1
    assert len(keys) == 1 and doc["AccessKeyId"] not in keys
