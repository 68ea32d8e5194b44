"""The encrypted-file store (secrets that survive a reboot without a Secret Service) and moving
records between stores, with no D-Bus at all: the quick start, the passphrase asked once per
boot (a new session keyring stands for a reboot), `secrets migrate` both ways with a SIGKILL at
each write."""
import json

import pytest

from conftest import add_keycloak_session, join_new_session_keyring, start
from test_interactive import Terminal

PASSPHRASE = "a long and correct passphrase"
ARN_DEV = "arn:aws:sts::123456789012:assumed-role/Developer/alice"


@pytest.fixture
def file_world(bare_world, tmp_path):
    passfile = tmp_path / "passphrase"
    passfile.write_text(PASSPHRASE + "\n")
    passfile.chmod(0o600)
    bare_world.passfile = str(passfile)
    bare_world.ok("secrets", "use", "file")
    return bare_world


def sealed(world):
    return world.root / "data" / "leapp" / "secrets.sealed"


def test_the_quick_start_on_the_file_store(file_world, keycloak, sts, moto):
    w = file_world
    add_keycloak_session(w, keycloak, sts)
    r = start(w, env={"LEAPP_FILE_PASSPHRASE_FILE": w.passfile})
    assert r.returncode == 0, r.stderr
    assert sealed(w).exists() and oct(sealed(w).stat().st_mode & 0o777) == "0o600"
    assert b"ASIA" not in sealed(w).read_bytes() and b"KEYCLOAK" not in sealed(w).read_bytes(), "sealed"
    # The key is in the kernel keyring now: no passphrase needed until reboot.
    r = w.run(["bash", "-c", 'eval "$(leapp env dev)" && printf %s "$AWS_ACCESS_KEY_ID"'])
    assert r.returncode == 0 and r.stdout.startswith("ASIA"), r.stderr
    r = w.run(["aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"],
              env={"AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_STS": moto})
    assert r.returncode == 0 and json.loads(r.stdout)["Arn"] == ARN_DEV, r.stderr
    listed = w.ok("secrets", "list").stdout
    assert "credentials" in listed and "session dev" in listed and "idp-session" in listed and "ASIA" not in listed
    r = w.leapp("doctor", "--offline", "--output", "json")
    found = {c["check"]: c for c in json.loads(r.stdout)}
    assert found["keyring"]["status"] == "ok" and "encrypted file" in found["keyring"]["detail"], found["keyring"]
    w.ok("session", "stop", "dev", "--forget")
    assert "credentials" not in w.ok("secrets", "list").stdout


def test_after_a_reboot_the_passphrase_is_asked_once(file_world, keycloak, sts):
    w = file_world
    add_keycloak_session(w, keycloak, sts)
    assert start(w, env={"LEAPP_FILE_PASSPHRASE_FILE": w.passfile}).returncode == 0
    join_new_session_keyring()  # a reboot: the kernel keyring is empty again
    r = w.leapp("env", "dev")
    assert r.returncode == 75 and "leapp secrets unlock" in r.stderr and "LEAPP_FILE_PASSPHRASE_FILE" in r.stderr, r.stderr
    t = Terminal([w.env["LEAPP_BIN"], "secrets", "unlock"], w.env)
    t.expect("Passphrase for leapp's secret file: "); t.send("not it")
    assert t.wait(timeout=60) == 75 and b"wrong passphrase" in t.output
    t = Terminal([w.env["LEAPP_BIN"], "secrets", "unlock"], w.env)
    t.expect("Passphrase for leapp's secret file: "); t.send(PASSPHRASE)
    assert t.wait(timeout=60) == 0, t.output
    r = w.leapp("env", "dev")
    assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, r.stderr


@pytest.mark.parametrize("first, second", [("kernel", "file"), ("file", "kernel")])
def test_migrate_both_ways_survives_a_kill_at_every_write(bare_world, keycloak, sts, first, second):
    w = bare_world
    passfile = w.root / "passphrase"
    passfile.write_text(PASSPHRASE)
    w.env["LEAPP_FILE_PASSPHRASE_FILE"] = str(passfile)
    w.ok("secrets", "use", first)
    add_keycloak_session(w, keycloak, sts)
    add_keycloak_session(w, keycloak, sts, alias="ops", profile="ops")
    assert start(w).returncode == 0 and start(w, alias="ops").returncode == 0
    # Kill the migration at its n-th write (a key added, or a file renamed into place).
    kills = 0
    for n in range(1, 30):
        r = w.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=add_key,rename",
                   "-e", f"inject=add_key,rename:signal=KILL:when={n}",
                   w.env["LEAPP_BIN"], "secrets", "migrate", "--to", second], timeout=60)
        if r.returncode == 0:
            break
        kills += 1
        # Whatever store is in use now holds every record: cached credentials serve, no login.
        before = keycloak.get("/_sim/stats")["saml_issued"]
        for alias in ("dev", "ops"):
            r = w.leapp("env", alias)
            assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, (n, r.stderr)
        assert keycloak.get("/_sim/stats")["saml_issued"] == before, f"after a kill at write {n}, a login was needed"
    assert kills >= 2
    assert w.ok("secrets", "store").stdout.startswith(second + "\t")
    before = keycloak.get("/_sim/stats")["saml_issued"]
    for alias in ("dev", "ops"):
        assert w.leapp("env", alias).returncode == 0
    assert keycloak.get("/_sim/stats")["saml_issued"] == before
    listed = w.ok("secrets", "list").stdout
    assert listed.count("credentials") == 2 and "idp-session" in listed
