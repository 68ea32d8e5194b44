"""The AWS files are the user's: profile ownership, odd file types, byte-exact edits, and state
that agrees with itself. Real files, the real AWS CLI reading them, moto's STS, a real keyring."""
import json
import os
import shutil
import signal
import stat
import subprocess
import time

import pytest

from conftest import IDP, LEAPP, PASSWORD, ROLE, add_keycloak_session, start
from test_federation import caller_arn, exported

ASSUMED = "arn:aws:sts::123456789012:assumed-role/Developer/alice"
STATIC_CREDS = b"# my long-term keys\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
STATIC_CONFIG = b"[default]\nregion = us-west-2\noutput = json\n"


def aws_dir(world):
    d = world.home / ".aws"
    d.mkdir(parents=True, exist_ok=True)
    return d


def session_id(world, alias="dev"):
    return {s["alias"]: s for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}[alias]["id"]


def state(world, alias="dev"):
    return {s["alias"]: s for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}[alias]["state"]


# 1. Profile ownership -------------------------------------------------------------------------

def test_hand_filled_default_profile_is_refused_then_taken_over_and_restored(world, keycloak, sts, moto):
    d = aws_dir(world)
    (d / "credentials").write_bytes(STATIC_CREDS)
    (d / "config").write_bytes(STATIC_CONFIG)
    before = {p: p.read_bytes() for p in (d / "credentials", d / "config")}
    add_keycloak_session(world, keycloak, sts, profile="default")
    r = start(world)
    assert r.returncode == 73, r.stderr
    assert r.stderr.count("\n") == 1 and "profile default" in r.stderr and "--take-over" in r.stderr, r.stderr
    assert "aws_access_key_id" in r.stderr or "region" in r.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert state(world) == "stopped" and world.secret_lookup("credentials", session_id(world)) is None
    assert not list(d.glob("*.lock")), "no lock files in ~/.aws"

    r = start(world, "--take-over")
    assert r.returncode == 0, r.stderr
    # The static keys no longer shadow credential_process: the AWS CLI is the assumed role.
    assert caller_arn(world, moto, profile="default") == ASSUMED
    assert b"AKIAIOSFODNN7EXAMPLE" not in (d / "credentials").read_bytes()
    # The saved copy lives in the keyring, not in a file.
    assert b"AKIAIOSFODNN7EXAMPLE" not in b"".join(p.read_bytes() for p in (world.root / "data").rglob("*") if p.is_file())
    world.ok("session", "stop", "dev")
    assert {p: p.read_bytes() for p in before} == before, "put back byte for byte"


def test_hand_written_credential_process_profile_survives(world, keycloak, sts):
    d = aws_dir(world)
    cfg = b"[profile mine]\ncredential_process = /usr/bin/my-helper --flag\n\n[profile other]\nregion = eu-north-1\n"
    (d / "config").write_bytes(cfg)
    add_keycloak_session(world, keycloak, sts, profile="mine")
    r = world.leapp("session", "edit", "dev", "--region", "eu-west-1")
    assert "warning: profile mine" in r.stderr and "credential_process" in r.stderr
    r = start(world)
    assert r.returncode == 73 and "credential_process" in r.stderr, r.stderr
    assert (d / "config").read_bytes() == cfg
    start(world, "--take-over", check=True)
    text = (d / "config").read_text()
    assert "my-helper" not in text and "credential-process dev" in text
    world.ok("session", "stop", "dev")
    assert (d / "config").read_bytes() == cfg


def test_take_over_survives_another_session_on_the_profile(world, keycloak, sts):
    d = aws_dir(world)
    (d / "config").write_bytes(STATIC_CONFIG)
    add_keycloak_session(world, keycloak, sts, alias="a", profile="default", extra=("--take-over",))
    add_keycloak_session(world, keycloak, sts, alias="b", profile="default")
    start(world, alias="a", check=True)
    # The profile now holds leapp's entries only: b takes it from a without --take-over.
    r = start(world, alias="b")
    assert r.returncode == 0 and "session a stopped" in r.stderr, r.stderr
    assert "credential-process b" in (d / "config").read_text()
    world.ok("session", "stop", "a")  # a owns nothing any more: b's entries stay
    assert "credential-process b" in (d / "config").read_text()
    world.ok("session", "stop", "b")
    assert (d / "config").read_bytes() == STATIC_CONFIG


@pytest.mark.parametrize("output", ["credential-process", "credentials-file"])
def test_stop_or_delete_of_another_session_leaves_the_active_ones_entries(world, keycloak, sts, moto, output):
    add_keycloak_session(world, keycloak, sts, alias="active", profile="shared", extra=("--output", output))
    add_keycloak_session(world, keycloak, sts, alias="idle", profile="shared", extra=("--output", output))
    start(world, alias="active", check=True)
    files = {p: p.read_bytes() for p in (world.aws_path("config"), world.aws_path("credentials")) if p.exists()}
    world.ok("session", "stop", "idle")
    world.ok("session", "delete", "idle")
    assert {p: p.read_bytes() for p in files} == files
    assert caller_arn(world, moto, profile="shared") == ASSUMED


def test_edit_moves_an_active_sessions_entries(world, keycloak, sts, moto):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.ok("session", "edit", "dev", "--alias", "renamed")
    cfg = world.aws_path("config").read_text()
    assert "credential-process renamed" in cfg and "credential-process dev\n" not in cfg
    assert caller_arn(world, moto, profile="dev") == ASSUMED
    world.ok("session", "edit", "renamed", "--profile", "moved")
    cfg = world.aws_path("config").read_text()
    assert "[profile dev]" not in cfg and "[profile moved]" in cfg
    assert caller_arn(world, moto, profile="moved") == ASSUMED
    # Moving onto a profile the user filled is refused, and nothing moves.
    with open(world.aws_path("config"), "ab") as f:
        f.write(b"\n[profile theirs]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = default\n")
    before = world.aws_path("config").read_bytes()
    r = world.leapp("session", "edit", "renamed", "--profile", "theirs")
    assert r.returncode == 73 and "role_arn" in r.stderr, r.stderr
    assert world.aws_path("config").read_bytes() == before


# 2. The AWS files are the user's ------------------------------------------------------------

def test_dev_null_means_no_file(world, keycloak, sts):
    """Inside a private mount namespace with its own /dev, so a regression cannot touch the machine's."""
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    script = ('mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 444 /dev/urandom c 1 9 && '
              'printf "%s\\n" "$PW" | "$LEAPP_BIN" session start dev --username alice --password-stdin; echo "rc=$?"; '
              '[ -c /dev/null ] && echo still-a-device; ls -a /dev')
    r = world.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                  env={"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "PW": PASSWORD})
    assert "rc=0" in r.stdout, r.stdout + r.stderr
    assert "still-a-device" in r.stdout
    assert sorted(r.stdout.split("still-a-device\n")[1].split()) == [".", "..", "null", "urandom"], r.stdout
    assert "/dev/null (AWS_SHARED_CREDENTIALS_FILE) is /dev/null: leapp writes nothing there" in r.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_special_files_are_refused_without_hanging(world, keycloak, sts, kind):
    target = world.root / "special"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    world.env["AWS_CONFIG_FILE"] = str(target)
    add_keycloak_session(world, keycloak, sts)
    r = start(world, timeout=20)
    assert r.returncode == 74, r.stderr
    assert f"is a {kind}, not a regular file" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert (stat.S_ISFIFO if kind == "fifo" else stat.S_ISDIR)(os.lstat(target).st_mode)
    assert world.secret_lookup("credentials", session_id(world)) is None


def test_symlinks_are_followed_and_kept_dangling_ones_refused(world, keycloak, sts, moto):
    real = world.root / "dotfiles" / "aws-config"
    real.parent.mkdir()
    real.write_bytes(b"[profile other]\nregion = eu-north-1\n")
    os.chmod(real, 0o640)
    os.chown(real, -1, 100)  # a group of the user's choosing
    link = aws_dir(world) / "config"
    link.symlink_to(real)
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert b"credential-process dev" in real.read_bytes() and real.read_bytes().startswith(b"[profile other]\nregion = eu-north-1\n")
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640, "mode of an existing file is kept"
    assert os.stat(real).st_gid == 100, "and its group"
    assert caller_arn(world, moto, profile="dev") == ASSUMED
    world.ok("session", "stop", "dev")
    assert real.read_bytes() == b"[profile other]\nregion = eu-north-1\n"

    real.unlink()
    r = start(world, "--force")
    assert r.returncode == 74 and "symbolic link to a file that does not exist" in r.stderr, r.stderr
    assert link.is_symlink() and not real.exists()


@pytest.mark.parametrize("how", ["read-only", "other-owner"])
def test_files_leapp_may_not_replace_are_reported(world, keycloak, sts, how):
    cfg = aws_dir(world) / "config"
    cfg.write_bytes(b"[profile other]\nregion = eu-north-1\n")
    if how == "read-only":
        os.chmod(cfg, 0o400)
    else:
        os.chown(cfg, 65534, 65534)
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode == 74, r.stderr
    assert ("is read-only" if how == "read-only" else "belongs to another user") in r.stderr, r.stderr
    assert cfg.read_bytes() == b"[profile other]\nregion = eu-north-1\n"
    st = os.stat(cfg)
    assert (stat.S_IMODE(st.st_mode) == 0o400) if how == "read-only" else (st.st_uid == 65534)


def test_foreign_bytes_survive_byte_for_byte(world, keycloak, sts, moto):
    creds = (b"[a]\r\naws_access_key_id = AKIAONE\naws_secret_access_key = caf\xe9\r\n\r\n"  # mixed endings, Latin-1
             b"[b]\naws_access_key_id = AKIATWO\n# a note\r# a lone CR\naws_secret_access_key = x\n\n\n")  # trailing blanks
    config = b"[profile a]\r\nregion = eu-west-3\r\n[profile b]\nregion = us-east-2"  # no final newline
    d = aws_dir(world)
    (d / "credentials").write_bytes(creds)
    (d / "config").write_bytes(config)
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    assert (d / "credentials").read_bytes().startswith(creds)
    assert (d / "config").read_bytes().startswith(config)
    # (The AWS CLI itself refuses a file that is not UTF-8; leapp keeps such bytes all the same.)
    world.ok("session", "stop", "dev")
    assert (d / "credentials").read_bytes() == creds
    assert (d / "config").read_bytes() == config


def test_indented_key_after_header_is_a_key(world, keycloak, sts, moto):
    d = aws_dir(world)
    (d / "credentials").write_bytes(b"[dev]\n  aws_access_key_id = AKIAINDENTED\n  aws_secret_access_key = x\n")
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    r = start(world)
    assert r.returncode == 73 and "aws_access_key_id" in r.stderr, r.stderr
    start(world, "--take-over", check=True)
    text = (d / "credentials").read_text()
    assert text.count("aws_access_key_id") == 1 and "AKIAINDENTED" not in text
    assert caller_arn(world, moto, profile="dev") == ASSUMED  # the AWS CLI accepts the file


def test_sts_values_outside_their_alphabet_are_refused(world, keycloak, sts):
    body = ('<AssumeRoleWithSAMLResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithSAMLResult>'
            '<Credentials><AccessKeyId>ASIAAAAAAAAAAAAAAAAA</AccessKeyId><SecretAccessKey>c2VjcmV0c2VjcmV0c2VjcmV0</SecretAccessKey>'
            '<SessionToken>dG9rZW4dG9rZW4dG9rZW4\n[default]\naws_access_key_id = AKIAEVIL</SessionToken>'
            '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithSAMLResult></AssumeRoleWithSAMLResponse>')
    sts.post("/_sim/faults", {"faults": [{"status": 200, "body": body, "times": 1}]})
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    r = start(world)
    assert r.returncode == 69 and "session token with characters outside its alphabet" in r.stderr, r.stderr
    assert not world.aws_path("credentials").exists()


def test_credential_process_path_with_quotes_and_spaces(world, keycloak, sts, moto):
    odd = world.root / "it's a \"dir\" \\ here"
    odd.mkdir()
    shutil.copy(LEAPP, odd / "leapp")
    world.env["LEAPP_BIN"] = str(odd / "leapp")
    add_keycloak_session(world, keycloak, sts)
    r = world.run([str(odd / "leapp"), "session", "start", "dev", "--username", "alice", "--password-stdin"], input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert caller_arn(world, moto, profile="dev") == ASSUMED


def test_file_size_limit_is_an_error_not_a_signal(world, keycloak, sts):
    d = aws_dir(world)
    big = b"# padding\n" * 300  # 3 KiB of the user's bytes
    (d / "credentials").write_bytes(big)
    os.chmod(d / "credentials", 0o600)
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    r = world.run(["bash", "-c", 'ulimit -f 2; printf "%s\\n" "$PW" | "$LEAPP_BIN" session start dev --username alice --password-stdin'],
                  env={"PW": PASSWORD})
    assert r.returncode == 74, (r.returncode, r.stderr)
    assert "File too large" in r.stderr and "ulimit -f" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert (d / "credentials").read_bytes() == big
    assert not list(d.glob("*leapp-tmp*"))
    # The file write failed, so nothing is cached and the session is not active.
    assert state(world) == "stopped" and world.secret_lookup("credentials", session_id(world)) is None


# 3. State that agrees with itself -------------------------------------------------------------

def test_refresh_rewrites_the_credentials_file(world, keycloak, sts, moto):
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    first = world.aws_path("credentials").read_text()
    world.env["LEAPP_REFRESH_MARGIN"] = "100000"  # every cached credential is due
    r = world.run(["bash", "-c", 'eval "$("$LEAPP_BIN" env dev --shell bash)" && printf %s "$AWS_ACCESS_KEY_ID"'])
    assert r.returncode == 0, r.stderr
    text = world.aws_path("credentials").read_text()
    assert text != first and f"aws_access_key_id = {r.stdout}\n" in text
    del world.env["LEAPP_REFRESH_MARGIN"]
    assert caller_arn(world, moto, profile="dev") == ASSUMED


def test_stop_with_a_failing_keyring_leaves_files_as_they_were(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    files = {p: p.read_bytes() for p in (world.aws_path("credentials"), world.aws_path("config"))}
    world.bus.terminate()  # no D-Bus: every keyring call fails
    world.bus.wait(5)
    r = world.leapp("session", "stop", "dev")
    assert r.returncode == 69, r.stderr
    assert {p: p.read_bytes() for p in files} == files


def test_cached_credentials_serve_while_nobody_can_log_in(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    sid = session_id(world)
    cached = json.loads(world.secret_lookup("credentials", sid))
    idp_id = json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]
    world.run(["secret-tool", "clear", "kind", "idp-session", "key", idp_id])  # the IdP wants the person again
    world.env["LEAPP_REFRESH_MARGIN"] = "100000"
    r = world.leapp("credential-process", "dev")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["AccessKeyId"] == cached["accessKeyId"]
    assert "warning: session dev expires in" in r.stderr and "leapp session start dev" in r.stderr
    # Once expired, it fails (exit 75) with what to run.
    cached["expiration"] = time.time() - 10
    world.run(["secret-tool", "store", "--label", "x", "kind", "credentials", "key", sid], input=json.dumps(cached))
    world.ok("lock")  # written behind leapp's back: drop the kernel cache's copy
    r = world.leapp("credential-process", "dev")
    assert r.returncode == 75 and "leapp session start dev" in r.stderr, r.stderr


def test_parallel_stops_all_succeed(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    procs = [subprocess.Popen([LEAPP, "session", "stop", "dev"], env=world.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(10)]
    for p in procs:
        assert p.wait(60) == 0, p.stderr.read()
        err = p.stderr.read()
        assert "CRITICAL" not in err and "GLib" not in err, err
    assert "[profile dev]" not in (world.aws_path("config").read_text() if world.aws_path("config").exists() else "")


# 4. fish ------------------------------------------------------------------------------------------

def test_fish_env_output_leaves_status_zero(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    r = world.run(["fish", "--no-config", "-c", '$LEAPP_BIN env dev --shell fish | source; and echo ran:$AWS_REGION'])
    assert r.stdout == "ran:eu-west-1\n", (r.stdout, r.stderr)
    r = world.run(["fish", "--no-config", "-c", '$LEAPP_BIN env --unset --shell fish | source; and echo unset-ok'])
    assert r.stdout == "unset-ok\n", (r.stdout, r.stderr)


def test_every_write_is_a_new_fsynced_file_renamed_into_place(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    start(world, check=True)
    creds = world.aws_path("credentials")
    first = os.stat(creds).st_ino
    trace = world.root / "strace.log"
    r = world.run(["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=openat,fsync,rename,renameat,renameat2",
                   LEAPP, "session", "start", "dev", "--force", "--username", "alice", "--password-stdin"], input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert os.stat(creds).st_ino != first, "written in place instead of temp file + rename"
    lines = trace.read_text().splitlines()
    temp_fd = rename_at = None
    for i, line in enumerate(lines):
        if "openat(" in line and "credentials.leapp-tmp-" in line and "O_CREAT" in line:
            temp_fd = line.rsplit("= ", 1)[1].split()[0]
            opened_at = i
        if temp_fd and "rename" in line and "credentials.leapp-tmp-" in line and f'"{creds}"' in line:
            rename_at = i
            break
    assert temp_fd and rename_at, "\n".join(lines[-40:])
    assert any(f"fsync({temp_fd})" in l for l in lines[opened_at:rename_at]), "no fsync of the temp file before its rename"
