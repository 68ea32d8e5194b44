"""`leapp doctor`: one line per check with the exact fix; notes inform, failures set the exit status."""
import json
import subprocess
import time

import pytest

from conftest import SilentServer, add_keycloak_session, lock_keyring, start


def checks(world, *args, env=None):
    r = world.leapp("doctor", "--output", "json", *args, env=env)
    return r, {c["check"]: c for c in json.loads(r.stdout)}


def test_a_working_machine_passes_with_notes(world):
    r, found = checks(world, "--offline")
    assert r.returncode == 0, r.stdout + r.stderr
    assert found["keyring"]["status"] == "ok"
    for lib in ("libcurl", "libxml2", "libsecret"):
        assert found[lib]["status"] == "ok"
    assert found["shell hook"]["status"] == "note" and "leapp hook bash" in found["shell hook"]["fix"]
    assert found["AWS config"]["status"] == "ok"


def test_no_session_bus_is_a_failure_with_the_fix_when_the_secret_service_is_asked_for(bare_world):
    r = bare_world.leapp("doctor", "--offline", env={"LEAPP_SECRET_STORE": "secret-service"})
    assert r.returncode == 1
    line = next(l for l in r.stdout.splitlines() if l.startswith("FAIL  keyring"))
    assert "DBUS_SESSION_BUS_ADDRESS is unset" in line and "dbus-run-session" in line and "gnome-keyring-daemon --unlock" in line
    assert r.stderr == "leapp: doctor: 1 check(s) failed: keyring\n"


def test_aws_files_are_read_as_the_aws_cli_reads_them(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    r, found = checks(world, "--offline")
    assert r.returncode == 0 and "leapp's entries in: profile dev" in found["AWS config"]["detail"]
    config = world.aws_path("config")
    config.write_text(config.read_text() + "this line is junk\n")
    r, found = checks(world, "--offline")
    assert r.returncode == 1 and found["AWS config"]["status"] == "fail"
    assert f"line {len(config.read_text().splitlines())}: neither a [section] nor key = value" in found["AWS config"]["detail"]


def test_an_installed_hook_is_seen(world):
    (world.home / ".bashrc").write_text('eval "$(leapp hook bash)"\n')
    _, found = checks(world, "--offline")
    assert found["shell hook"]["status"] == "ok" and "bash" in found["shell hook"]["detail"]


def test_a_skewed_clock_fails_the_check(world, sts):
    sts.post("/_sim/config", {"date_offset": 900})
    try:
        r, found = checks(world, env={"AWS_ENDPOINT_URL_STS": sts.url})
        assert r.returncode == 1
        assert found["clock vs STS"]["status"] == "fail" and "behind" in found["clock vs STS"]["detail"]
        assert "timedatectl" in found["clock vs STS"]["fix"]
        sts.post("/_sim/config", {"date_offset": 0})
        r, found = checks(world, env={"AWS_ENDPOINT_URL_STS": sts.url})
        assert found["clock vs STS"]["status"] == "ok", found["clock vs STS"]
    finally:
        sts.post("/_sim/config", {"date_offset": 0})


def test_a_clock_ahead_fails_too(world, sts):
    sts.post("/_sim/config", {"date_offset": -900})
    try:
        r, found = checks(world, env={"AWS_ENDPOINT_URL_STS": sts.url})
        assert r.returncode == 1
        assert found["clock vs STS"]["status"] == "fail" and "s ahead of" in found["clock vs STS"]["detail"]
    finally:
        sts.post("/_sim/config", {"date_offset": 0})


@pytest.mark.parametrize("header", ["Sun, 06 Nov 99999999999999 08:49:37 GMT", "Sun, 06 Nov 1e300 08:49:37 GMT",
                                    "\x1b]0;x\x07"])
def test_a_hostile_date_header_is_no_crash(world, sts, header):
    sts.post("/_sim/config", {"date_header": header})
    try:
        r, found = checks(world, env={"AWS_ENDPOINT_URL_STS": sts.url})
        assert r.returncode in (0, 1) and r.returncode >= 0, r.stderr
        assert found["clock vs STS"]["status"] == "note" and "no usable Date header" in found["clock vs STS"]["detail"]
    finally:
        sts.post("/_sim/config", {})


def test_idps_that_never_answer_cost_one_short_deadline(world, sts):
    silent = [SilentServer(), SilentServer()]
    try:
        for i, s in enumerate(silent):
            world.ok("idp-url", "create", "--name", f"idp{i}", "--provider", "keycloak", "--url", s.url + "/realms/a/protocol/saml")
        started = time.time()
        r, found = checks(world, env={"AWS_ENDPOINT_URL_STS": sts.url})
        assert time.time() - started < 15, "checked together, each with a short deadline (not 2 x 30 s)"
        for i in range(2):
            assert found[f"clock vs idp{i}"]["status"] == "note" and "could not reach" in found[f"clock vs idp{i}"]["detail"]
        assert found["clock vs STS"]["status"] == "ok"
    finally:
        for s in silent:
            s.close()


def test_the_bus_at_xdg_runtime_dir_counts(world):
    env = dict(world.env)
    env.pop("DBUS_SESSION_BUS_ADDRESS")
    r = subprocess.run([world.env["LEAPP_BIN"], "doctor", "--offline", "--output", "json"], env=env,
                       capture_output=True, text=True, timeout=60)
    found = {c["check"]: c for c in json.loads(r.stdout)}
    assert found["keyring"]["status"] == "ok", found["keyring"]


def test_a_locked_collection_is_reported_as_locked(world):
    lock_keyring(world)
    r, found = checks(world, "--offline")
    assert r.returncode == 1
    assert found["keyring"]["status"] == "fail" and "locked" in found["keyring"]["detail"], found["keyring"]
