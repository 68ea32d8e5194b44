"""`leapp doctor`: one line per check with the exact fix; notes inform, failures set the exit status."""
import json

from conftest import add_keycloak_session, start


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


def test_no_session_bus_is_a_failure_with_the_fix(bare_world):
    r = bare_world.leapp("doctor", "--offline")
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
