"""No desktop keyring: SSH dev boxes, WSL, containers, CI. With no D-Bus session bus at all, leapp
keeps its secrets in the kernel's key retention service (a session keyring of the test's own,
`LEAPP_KERNEL_KEYRING=session`; the default is the user's persistent keyring) and the README's
quick start works end to end: start, `env` in the real shells, the AWS CLI through
credential_process, stop, --forget, doctor."""
import json
import os
import signal

import pytest

from conftest import PASSWORD, add_keycloak_session, lock_keyring, start
from shells import PtyShell
from test_interactive import Terminal

ARN = "arn:aws:sts::123456789012:assumed-role/Developer/alice"


def kernel_keys(world):
    """The descriptions of the keys in the world's `leapp` keyring (read from /proc/keys)."""
    with open("/proc/keys") as f:
        rows = [line.split(None, 8) for line in f]
    # Flags: i invalidated, R revoked, D dead (a removed key lingers until the kernel collects it).
    return [r[8].rsplit(": ", 1)[0] for r in rows
            if len(r) == 9 and r[7] == "user" and r[8].startswith("leapp:") and not set("iRD") & set(r[1])]


def test_the_quick_start_works_with_no_bus(bare_world, keycloak, sts, moto):
    w = bare_world
    assert "DBUS_SESSION_BUS_ADDRESS" not in w.env and not (w.root / "run" / "bus").exists()
    add_keycloak_session(w, keycloak, sts)
    r = start(w, "--verbose")
    assert r.returncode == 0, r.stderr
    assert f"started as {ARN}" in r.stderr
    assert "secrets: kernel keyring (no D-Bus session bus here" in r.stderr
    # env in bash: the keys come back from the kernel keyring, no login.
    before = keycloak.get("/_sim/stats")["saml_issued"]
    r = w.run(["bash", "-c", 'eval "$(leapp env dev)" && printf %s "$AWS_ACCESS_KEY_ID"'])
    assert r.returncode == 0 and r.stdout.startswith("ASIA"), r.stderr
    assert keycloak.get("/_sim/stats")["saml_issued"] == before
    # The AWS CLI through credential_process.
    r = w.run(["aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"],
              env={"AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_STS": moto})
    assert r.returncode == 0 and json.loads(r.stdout)["Arn"] == ARN, r.stderr
    # Nothing secret on disk: the keys live in the kernel, in leapp's own keyring.
    assert not any(b"ASIA" in p.read_bytes() for p in w.root.rglob("*") if p.is_file()), "no key on disk"
    session_id = json.loads(w.ok("session", "list", "--format", "json").stdout)[0]["id"]
    assert f"leapp:credentials:{session_id}" in "\n".join(kernel_keys(w))
    # Stop drops the credentials; --forget the IdP session too.
    idp_id = json.loads(w.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    assert f"leapp:idp-session:{idp_id}" in kernel_keys(w)
    w.ok("session", "stop", "dev", "--forget")
    left = kernel_keys(w)
    assert f"leapp:credentials:{session_id}" not in left and f"leapp:idp-session:{idp_id}" not in left
    r = w.leapp("env", "dev", input="")
    assert r.returncode != 0


def use_store(world, store):
    """The kernel store is what a world with no bus gets; the file store is chosen, with its
    passphrase in a file (the automation route)."""
    if store == "file":
        passfile = world.root / "passphrase"
        passfile.write_text("a long and correct passphrase\n")
        world.env["LEAPP_FILE_PASSPHRASE_FILE"] = str(passfile)
        world.ok("secrets", "use", "file")


@pytest.mark.parametrize("store", ["kernel", "file"])
@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_env_in_zsh_and_fish_with_no_bus(bare_world, keycloak, sts, shell, store):
    w = bare_world
    use_store(w, store)
    add_keycloak_session(w, keycloak, sts)
    assert start(w).returncode == 0
    line = 'leapp env dev --shell fish | source' if shell == "fish" else 'eval "$(leapp env dev)"'
    sh = PtyShell(shell, w.env, str(w.root))
    try:
        sh.send(line)
        assert sh.env().get("AWS_ACCESS_KEY_ID", "").startswith("ASIA")
    finally:
        sh.close()


def test_doctor_passes_with_the_kernel_store(bare_world):
    r = bare_world.leapp("doctor", "--offline", "--output", "json")
    assert r.returncode == 0, r.stdout + r.stderr
    found = {c["check"]: c for c in json.loads(r.stdout)}
    assert found["keyring"]["status"] == "ok"
    assert "kernel keyring" in found["keyring"]["detail"] and "no D-Bus session bus" in found["keyring"]["detail"]


def test_no_bus_and_the_secret_service_asked_for_is_a_clear_failure(bare_world, keycloak, sts):
    add_keycloak_session(bare_world, keycloak, sts)
    r = bare_world.leapp("env", "dev", env={"LEAPP_SECRET_STORE": "secret-service"})
    assert r.returncode == 69 and "no D-Bus session bus" in r.stderr, r.stderr


def test_the_kernel_store_can_be_chosen_where_a_bus_is(world, keycloak, sts):
    # A bus, but the kernel asked for: no item reaches the Secret Service.
    add_keycloak_session(world, keycloak, sts)
    assert start(world, env={"LEAPP_SECRET_STORE": "kernel"}).returncode == 0
    sid = json.loads(world.ok("session", "list", "--format", "json", env={"LEAPP_SECRET_STORE": "kernel"}).stdout)[0]["id"]
    assert world.secret_lookup("credentials", sid) is None
    assert f"leapp:credentials:{sid}" in "\n".join(kernel_keys(world))
    r = world.leapp("env", "dev", env={"LEAPP_SECRET_STORE": "nonsense"})
    assert r.returncode == 74 and "unknown secret store 'nonsense'" in r.stderr, r.stderr


def test_the_choice_is_kept_for_every_leapp_of_the_user(world, keycloak, sts):
    assert world.ok("secrets", "store").stdout.startswith("secret-service\t")
    world.ok("secrets", "use", "kernel")
    assert world.ok("secrets", "store").stdout == "kernel\tchosen by the configuration\n"
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    sid = json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["id"]
    assert world.secret_lookup("credentials", sid) is None and f"leapp:credentials:{sid}" in kernel_keys(world)
    # credential_process (what the AWS CLI runs, no terminal) reads the same choice.
    before = keycloak.get("/_sim/stats")["saml_issued"]
    r = world.leapp("credential-process", "dev")
    assert r.returncode == 0 and json.loads(r.stdout)["AccessKeyId"].startswith("ASIA"), r.stderr
    assert keycloak.get("/_sim/stats")["saml_issued"] == before, "served from the kernel keyring"
    # The environment overrides the configuration.
    assert world.ok("secrets", "store", env={"LEAPP_SECRET_STORE": "secret-service"}).stdout.startswith("secret-service\t")
    r = world.leapp("secrets", "use", "keepass")
    assert r.returncode == 64 and "auto, secret-service, kernel" in r.stderr, r.stderr
    world.ok("secrets", "use", "auto")
    assert world.ok("secrets", "store").stdout.startswith("secret-service\t")


def test_the_secret_services_credentials_are_cached_in_the_kernel(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    sid = json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["id"]
    assert world.secret_lookup("credentials", sid), "the Secret Service holds them"
    assert f"leapp:credentials:{sid}" in kernel_keys(world), "and the kernel caches them"
    idp_id = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    assert f"leapp:idp-session:{idp_id}" not in kernel_keys(world), "only credentials are cached"
    # The cache serves env with no D-Bus call: a frozen Secret Service does not matter...
    os.kill(world.keyring.pid, signal.SIGSTOP)
    try:
        r = world.leapp("env", "dev", timeout=15)
        assert r.returncode == 0 and "AWS_ACCESS_KEY_ID" in r.stdout, r.stderr
    finally:
        os.kill(world.keyring.pid, signal.SIGCONT)
    # ...nor a locked one (the trade-off), until `leapp lock` drops the cache.
    lock_keyring(world)
    assert world.leapp("env", "dev").returncode == 0
    assert "dropped 1 cached credential(s)" in world.ok("lock").stdout
    r = world.leapp("env", "dev", timeout=15)
    assert r.returncode == 75 and "is locked" in r.stderr, r.stderr


def test_stop_drops_the_cached_credentials_and_the_cache_can_be_off(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    sid = json.loads(world.ok("session", "list", "--format", "json").stdout)[0]["id"]
    assert f"leapp:credentials:{sid}" in kernel_keys(world)
    world.ok("session", "stop", "dev")
    assert f"leapp:credentials:{sid}" not in kernel_keys(world)
    assert start(world, env={"LEAPP_CREDENTIAL_CACHE": "0"}).returncode == 0
    assert f"leapp:credentials:{sid}" not in kernel_keys(world)
    # A stop with the cache off still drops what another leapp cached.
    assert world.ok("env", "dev") and f"leapp:credentials:{sid}" in kernel_keys(world)
    world.ok("session", "stop", "dev", env={"LEAPP_CREDENTIAL_CACHE": "0"})
    assert f"leapp:credentials:{sid}" not in kernel_keys(world)


@pytest.mark.parametrize("store", ["kernel", "file"])
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_hook_activates_a_directory_with_no_bus(bare_world, keycloak, sts, shell, store):
    w = bare_world
    use_store(w, store)
    add_keycloak_session(w, keycloak, sts)
    assert start(w).returncode == 0
    project = w.root / "project"
    project.mkdir()
    (project / ".leapp-session").write_text("dev\n")
    w.ok("allow", str(project))
    sh = PtyShell(shell, w.env, str(w.root))
    try:
        sh.send(f"cd {project}")
        env = sh.env()
        assert env.get("LEAPP_SESSION") == "dev" and env.get("AWS_ACCESS_KEY_ID", "").startswith("ASIA"), env
    finally:
        sh.close()


def test_a_person_waiting_on_the_keyring_is_told_why(world, keycloak, sts):
    """A keyring that takes seconds (an unlock prompt; here a frozen daemon) keeps a person who
    ran a command waiting up to a minute, with a line that says so, not a failure after 1 s."""
    add_keycloak_session(world, keycloak, sts)
    os.kill(world.keyring.pid, signal.SIGSTOP)
    try:
        t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
        t.expect("waiting for the keyring (it may be asking you to unlock it)", timeout=20)
    finally:
        os.kill(world.keyring.pid, signal.SIGCONT)
    t.expect("Password for alice at acme: ", timeout=30)
    t.send(PASSWORD)
    assert t.wait(timeout=60) == 0, t.output
