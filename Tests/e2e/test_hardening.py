"""Hardening: hostile input, faults, concurrency, secrets hygiene, keyring faults.
Every failure must be one line and a non-zero exit, with no crash and no file changed."""
import base64
import html
import json
import os
import pathlib
import shutil
import tempfile
import random
import signal
import stat
import subprocess
import time

import pytest

import saml
from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, add_session, keycloak_config, start

FOREIGN_CREDS = "# keep me\n[default]\naws_access_key_id = AKIAFOREIGN\naws_secret_access_key = x\n"
FOREIGN_CONFIG = "[default]\nregion = us-east-1\n# comment\n"


def saml_page(xml_bytes, action="https://signin.aws.amazon.com/saml"):
    value = base64.b64encode(xml_bytes).decode()
    return (f'<html><body><form method="post" action="{action}">'
            f'<input type="hidden" name="SAMLResponse" value="{value}"/></form></body></html>')


GOOD = saml.response_xml("https://idp", "alice", [(ROLE, IDP)]).encode()
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol9;</samlp:Response>').encode()
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>')

CORPUS = {
    "xxe": ({"body": saml_page(XXE)}, "DOCTYPE"),
    "billion-laughs": ({"body": saml_page(LAUGHS)}, "DOCTYPE"),
    "50MB-body": ({"mode": "big", "megabytes": 50}, "too large"),
    "truncated-base64": ({"body": saml_page(GOOD).replace('"/></form>', '"/></form>')[:400] + '"/></form>'}, "SAML"),
    "not-base64": ({"body": '<form method="post" action="https://signin.aws.amazon.com/saml"><input name="SAMLResponse" value="%%%not base64%%%"></form>'}, "not valid base64"),
    "not-a-response": ({"body": saml_page(b"<html><body>hi</body></html>")}, "not a SAML 2.0 Response"),
    "no-form": ({"body": "<html><body><h1>Welcome</h1></body></html>"}, "neither a SAMLResponse nor a login form"),
    "several-forms": ({"body": saml_page(GOOD) + saml_page(saml.response_xml("https://evil", "mallory", [(ROLE, IDP)]).encode())}, "different SAML responses"),
    "wrong-partition": ({"body": saml_page(GOOD, action="https://signin.amazonaws.cn/saml")}, "aws-cn sign-in page"),
    "http-500": ({"body": "<html>Internal error</html>", "status": 500}, "HTTP 500"),
    "http-429": ({"body": "slow down", "status": 429}, "neither a SAMLResponse"),
    # A network failure names the IdP URL and the session, not only the host.
    "connection-reset": ({"mode": "reset"}, "IdP URL generic (session dev): request to 127.0.0.1 failed"),
    "slow-server": ({"mode": "slow", "seconds": 4}, "IdP URL generic (session dev): request to 127.0.0.1 failed"),
    "binary-garbage": ({"body": "\x00\x01\xff\xfe<<<>>>\x1b[31m", "content_type": "application/octet-stream"}, "neither a SAMLResponse"),
}


def prepare_files(world):
    aws = world.home / ".aws"
    aws.mkdir(parents=True, exist_ok=True)
    (aws / "credentials").write_text(FOREIGN_CREDS)
    (aws / "config").write_text(FOREIGN_CONFIG)
    os.chmod(aws / "credentials", 0o600)
    return {p: p.read_bytes() for p in (aws / "credentials", aws / "config", world.config_path)}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_hostile_idp_corpus(world, hostile, sts, case):
    serve, message = CORPUS[case]
    hostile.post("/_sim/serve", serve)
    url = hostile.saml_url
    if serve.get("mode") == "reset":
        url = f"http://127.0.0.1:{hostile.get('/_sim/reset-port')['port']}/idp"
    add_session(world, sts, "generic", url, extra=("--output", "credentials-file"))
    before = prepare_files(world)
    r = start(world, env={"LEAPP_HTTP_TIMEOUT_MS": "1500"}, timeout=60)
    assert r.returncode not in (0, 134, 139) and r.returncode > 0, (r.returncode, r.stderr)
    assert message in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("leapp: "), r.stderr
    assert "\x1b" not in r.stderr
    for path, content in before.items():
        assert path.read_bytes() == content, path


@pytest.mark.parametrize("fault,message", [
    ({"status": 200, "body": "<not xml"}, "answered 200 without credentials"),
    ({"status": 200, "body": ""}, "answered 200 without credentials"),
    ({"status": 200, "body": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><AssumeRoleWithSAMLResponse>&e;</AssumeRoleWithSAMLResponse>'}, "without credentials"),
    ({"status": 200, "body": "<AssumeRoleWithSAMLResponse><AssumeRoleWithSAMLResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleWithSAMLResult></AssumeRoleWithSAMLResponse>"}, "without credentials"),
    ({"status": 403, "body": "<html>forbidden by proxy</html>"}, "HTTP 403"),
    ({"code": "ValidationError", "status": 400, "message": "1 validation error detected: Value at 'roleArn'"}, "ValidationError"),
    ({"code": "Throttling", "status": 400, "times": 10}, "throttling"),
    ({"status": 429, "body": "", "times": 10}, "HTTP 429"),
    ({"code": "InternalFailure", "status": 500, "times": 10}, "InternalFailure"),
])
def test_sts_hostile_answers(world, keycloak, sts, fault, message):
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    before = prepare_files(world)
    sts.post("/_sim/faults", {"faults": [dict({"times": 1}, **fault)]})
    r = start(world)
    assert r.returncode == 69, r.stderr
    assert message in r.stderr and r.stderr.count("\n") == 1, r.stderr
    for path, content in before.items():
        assert path.read_bytes() == content


def test_fifty_concurrent_starts_plus_ten_of_one(world, keycloak, sts):
    for i in range(50):
        add_keycloak_session(world, keycloak, sts, alias=f"s{i:02d}", profile=f"p{i:02d}", extra=("--output", "credentials-file"))
    before = prepare_files(world)
    procs = []
    for i in list(range(50)) + [7] * 10:
        p = subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", f"s{i:02d}", "--username", "alice", "--password-stdin"],
                             env=world.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        p.stdin.write(PASSWORD + "\n")
        p.stdin.close()
        procs.append(p)
    started_p07 = 0
    for i, p in enumerate(procs):
        rc = p.wait(120)
        err = p.stderr.read()
        if i == 7 or i >= 50:
            # Eleven starts of one profile are serialised by a lock: a start that meets
            # another is refused, clearly; the others start (or find it active).
            if rc == 75:
                assert "another `leapp session start` for profile p07 is in progress" in err, err
            else:
                assert rc == 0, err
                started_p07 += 1
        else:
            assert rc == 0, err
    assert started_p07 >= 1, "the lock let none of the eleven starts of p07 through"
    assert json.loads(world.ok("session", "list", "--format", "json", "--filter", "alias=s07").stdout)[0]["state"] == "active"
    creds = world.aws_path("credentials")
    text = creds.read_text()
    config = world.aws_path("config").read_text()
    assert text.startswith(FOREIGN_CREDS) and config.startswith(FOREIGN_CONFIG.rstrip("\n"))
    for i in range(50):
        assert text.count(f"[p{i:02d}]\n") == 1 and config.count(f"[profile p{i:02d}]\n") == 1
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    assert not [f for f in os.listdir(world.home / ".aws") if "leapp-tmp" in f]
    _ = before


def test_sigkill_mid_write_leaves_old_or_new_file(world, keycloak, sts):
    for i in range(8):
        add_keycloak_session(world, keycloak, sts, alias=f"k{i}", profile=f"k{i}", extra=("--output", "credentials-file"))
    prepare_files(world)
    rng = random.Random(7)
    for round_ in range(6):
        procs = []
        for i in range(8):
            p = subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", f"k{i}", "--force", "--username", "alice", "--password-stdin"],
                                 env=world.env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
            p.stdin.write(PASSWORD + "\n")
            p.stdin.close()
            procs.append(p)
        time.sleep(rng.uniform(0.05, 0.4))
        for p in procs:
            if rng.random() < 0.6:
                p.send_signal(signal.SIGKILL)
        for p in procs:
            p.wait(60)
        text = world.aws_path("credentials").read_text()
        assert text.startswith(FOREIGN_CREDS)
        # Every section present is whole: all five keys.
        sections = text.split("\n[")[1:]
        for section in sections:
            name = section.split("]", 1)[0]
            if name.startswith("k"):
                for key in ("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "x_security_token_expires"):
                    assert f"\n{key} = " in section, (name, section)
        json.loads(world.config_path.read_text())
    # A later write clears what killed writers left behind: no stray copies of secrets.
    assert start(world, alias="k0", password=PASSWORD).returncode == 0
    assert start(world, "--force", alias="k0").returncode == 0
    assert not [f for f in os.listdir(world.home / ".aws") if "leapp-tmp" in f]


def test_secrets_never_in_argv_or_verbose(world, hostile, sts):
    hostile.post("/_sim/serve", {"mode": "slow", "seconds": 3})
    add_session(world, sts, "generic", hostile.saml_url)
    p = subprocess.Popen([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice", "--password-stdin",
                          "--mfa-code", "918273", "--verbose"],
                         env=world.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdin.write(PASSWORD + "\n")
    p.stdin.close()
    # Read argv while the login waits on the slow IdP (after leapp has had time to scrub it).
    deadline = time.time() + 10
    while True:
        with open(f"/proc/{p.pid}/cmdline", "rb") as f:
            cmdline = f.read().decode(errors="replace")
        if "xxxxxx" in cmdline or time.time() > deadline:
            break
        time.sleep(0.05)
    p.wait(30)
    err = p.stderr.read()
    assert "918273" not in cmdline and PASSWORD not in cmdline, cmdline
    assert "--mfa-code" in cmdline
    assert "918273" not in err and PASSWORD not in err


def test_verbose_error_paths_have_no_secrets(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    secret_password = "hunter2-" + "x" * 8
    r = start(world, "--verbose", password=secret_password)
    assert r.returncode == 69 and secret_password not in r.stderr
    r = start(world, "--verbose")
    doc = json.loads(world.ok("credential-process", "dev").stdout)
    sts.post("/_sim/faults", {"faults": [{"code": "AccessDenied", "status": 403, "times": 1}]})
    r = start(world, "--verbose", "--force")
    for secret in (PASSWORD, doc["SecretAccessKey"], doc["SessionToken"], "SAMLResponse", "KEYCLOAK"):
        assert secret not in r.stderr


def lock_login_collection(world):
    return world.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                      "org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login"])


def test_locked_keyring_fails_fast(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    r = lock_login_collection(world)
    assert r.returncode == 0, r.stderr
    before = world.aws_path("config").read_bytes()
    r = start(world, "--force", timeout=15)
    assert r.returncode == 75, r.stderr
    assert "keyring collection 'login' is locked" in r.stderr and "unlock" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert world.aws_path("config").read_bytes() == before


def test_a_locked_keyring_is_never_read_as_no_credentials(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    files = {p: p.read_bytes() for p in (world.aws_path("config"), world.config_path)}
    assert lock_login_collection(world).returncode == 0
    world.ok("lock")  # the kernel cache would serve the still-valid credentials (README: the trade-off)
    for args in (["env", "dev"], ["credential-process", "dev"], ["session", "stop", "dev"], ["session", "start", "dev"]):
        r = world.leapp(*args, timeout=15)
        assert r.returncode == 75, (args, r.stderr)
        assert "keyring collection 'login' is locked" in r.stderr and r.stderr.count("\n") == 1, (args, r.stderr)
    r = world.leapp("session", "list")
    assert "stopped" not in r.stdout and "is locked" in r.stderr, (r.stdout, r.stderr)
    assert {p: p.read_bytes() for p in files} == files, "nothing changed on disk"


def test_hung_keyring_daemon_fails_within_the_deadline(world, keycloak, sts):
    """A Secret Service that stops answering (here: frozen with SIGSTOP) must not hang leapp."""
    add_keycloak_session(world, keycloak, sts)
    assert start(world).returncode == 0
    world.ok("lock")  # not from the kernel cache: from the keyring, which hangs
    os.kill(world.keyring.pid, signal.SIGSTOP)
    try:
        r = world.leapp("env", "dev", timeout=15, env={"LEAPP_KEYRING_TIMEOUT_MS": ""})  # a hang fails here
        assert r.returncode == 75, r.stderr
        assert "did not answer within 2000 ms" in r.stderr and r.stderr.count("\n") == 1
    finally:
        os.kill(world.keyring.pid, signal.SIGCONT)


def test_sts_is_asked_for_the_sessions_role_not_the_first_offered(world, keycloak, sts):
    """A wrong role is a security bug. (moto answers HTTP 500 to a multi-role assertion, so STS's
    answer comes from the front; what is checked is the request leapp sent.)"""
    other = "arn:aws:iam::123456789012:role/Admin"
    keycloak.configure(keycloak_config(roles=[[other, IDP], [ROLE, IDP]]))
    sts.post("/_sim/config", {"max_duration": None})
    ok = ('<AssumeRoleWithSAMLResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithSAMLResult>'
          '<Credentials><AccessKeyId>ASIAAAAAAAAAAAAAAAAA</AccessKeyId><SecretAccessKey>c2VjcmV0c2VjcmV0c2VjcmV0</SecretAccessKey>'
          '<SessionToken>dG9rZW4dG9rZW4dG9rZW4=</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>'
          '</AssumeRoleWithSAMLResult></AssumeRoleWithSAMLResponse>')
    sts.post("/_sim/faults", {"faults": [{"status": 200, "body": ok, "times": 1}]})
    add_keycloak_session(world, keycloak, sts)
    r = start(world)
    assert r.returncode == 0, r.stderr
    calls = sts.get("/_sim/calls")["calls"]
    assert [(c["RoleArn"], c["PrincipalArn"]) for c in calls] == [(ROLE, IDP)]


def test_leapp_is_not_dumpable_and_makes_no_core(world, keycloak, sts):
    """While leapp holds a password in memory, another process of the same (unprivileged) user
    cannot read its memory or environment, and it would leave no core file."""
    home = pathlib.Path(tempfile.mkdtemp(prefix="leapp-nobody-"))
    os.chmod(home, 0o777)
    env = dict(world.env, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    r = subprocess.run(as_nobody + [world.env["LEAPP_BIN"], "idp-url", "create", "--name", "acme", "--provider", "keycloak",
                                    "--url", keycloak.saml_url], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    p = subprocess.Popen(as_nobody + [world.env["LEAPP_BIN"], "idp-url", "roles", "acme", "--username", "alice", "--password-stdin"],
                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # setpriv execs leapp, which then sets its limits first thing: wait (bounded) for that,
        # on a busy machine too; a leapp that never sets them fails below.
        core_limit = "Max core file size"
        deadline = time.time() + 20
        while time.time() < deadline:
            if "leapp" in open(f"/proc/{p.pid}/comm").read():
                limits = open(f"/proc/{p.pid}/limits").read()
                if [l for l in limits.splitlines() if l.startswith(core_limit)][0].split()[4:6] == ["0", "0"]:
                    break
            time.sleep(0.02)
        limits = open(f"/proc/{p.pid}/limits").read()
        assert [l for l in limits.splitlines() if l.startswith("Max core file size")][0].split()[4:6] == ["0", "0"], limits
        peek = subprocess.run(as_nobody + ["cat", f"/proc/{p.pid}/environ"], capture_output=True, timeout=10)
        assert peek.returncode != 0 and b"Permission denied" in peek.stderr, peek
    finally:
        p.kill()
        p.wait()
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.parametrize("first_start", [True, False], ids=["first-start", "refresh"])
def test_a_kill_between_any_two_writes_leaves_leapps_entries_recognisable(world, keycloak, sts, first_start):
    """SIGKILL at each atomic replace (strace injects it at the Nth rename) of a start that
    writes the AWS files and leapp's ledger: the next plain start must still know leapp's own
    entries (never refuse them as the user's), and every foreign byte stays."""
    add_keycloak_session(world, keycloak, sts, extra=("--output", "credentials-file"))
    prepare_files(world)
    kills = 0
    for n in range(1, 20):
        if not first_start:
            assert start(world, "--force").returncode == 0
        r = world.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                       "-e", f"inject=rename,renameat,renameat2:signal=KILL:when={n}",
                       world.env["LEAPP_BIN"], "session", "start", "dev", "--force", "--username", "alice", "--password-stdin"],
                      input=PASSWORD + "\n", timeout=60)
        if r.returncode == 0:
            break  # fewer than n renames: every point was tried
        kills += 1
        again = start(world)
        assert again.returncode == 0, f"after a kill at rename {n}: {again.stderr}"
        creds, config = world.aws_path("credentials").read_text(), world.aws_path("config").read_text()
        assert creds.startswith(FOREIGN_CREDS) and config.startswith(FOREIGN_CONFIG.rstrip("\n")), (n, creds, config)
        assert creds.count("[dev]\n") == 1 and config.count("[profile dev]\n") == 1, (n, creds, config)
        assert world.ok("session", "stop", "dev").returncode == 0
        assert world.aws_path("credentials").read_text().rstrip("\n") == FOREIGN_CREDS.rstrip("\n"), n
    assert kills >= 3, "the start was killed at each of its writes"


def test_a_library_that_lacks_a_function_is_named_not_called(world, keycloak, sts, tmp_path):
    """A libcurl without curl_easy_init (an old or broken one on the loader's path): the C seam
    resolves every function when the library opens and reports the missing one by name; it
    never calls through a NULL pointer (which would crash)."""
    compiler = shutil.which("cc") or shutil.which("clang")
    assert compiler, "a C compiler comes with the Swift toolchain"
    lib = tmp_path / "lib"
    lib.mkdir()
    source = tmp_path / "curl.c"
    source.write_text("int curl_global_init(long flags) { (void)flags; return 0; }\n")
    subprocess.run([compiler, "-shared", "-fPIC", "-Wl,-soname,libcurl.so.4", "-o", str(lib / "libcurl.so.4"), str(source)],
                   check=True, timeout=60)
    add_keycloak_session(world, keycloak, sts)
    r = start(world, env={"LD_LIBRARY_PATH": str(lib)})
    assert r.returncode != 0
    assert "cannot load libcurl" in r.stderr and "has no curl_easy_init" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and "Fatal error" not in r.stderr, r.stderr


def test_a_slow_idp_gets_a_spinner_naming_the_idp_url_and_the_step(world, hostile, sts):
    from test_interactive import Terminal
    hostile.post("/_sim/serve", {"mode": "slow", "seconds": 4, "body": saml_page(GOOD)})
    add_session(world, sts, "generic", hostile.saml_url)
    t = Terminal([world.env["LEAPP_BIN"], "session", "start", "dev", "--username", "alice"], world.env)
    seen = t.expect("waiting for generic (open SAML URL)...", timeout=10)
    assert b"\x1b[2K" in seen  # drawn in place, then cleared
    t.wait(timeout=30)
