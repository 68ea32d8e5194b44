"""The credential endpoint: `leapp exec --server` and `leapp serve`, read by the real AWS
CLI and boto3 against moto, with credentials that expire while the job runs (the STS front
shortens them and refuses expired ones with ExpiredToken, as AWS does)."""
import http.client
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request

from conftest import ROLE, add_keycloak_session, start

TTL = 10         # seconds the STS front lets credentials live
MARGIN = "4"     # leapp refreshes when this close to expiry

JOB = textwrap.dedent("""
    import sys, time, boto3
    seconds = float(sys.argv[1])
    session = boto3.session.Session()
    sts = session.client("sts")
    keys, calls = set(), 0
    end = time.time() + seconds
    while time.time() < end:
        identity = sts.get_caller_identity()          # fails with ExpiredToken on stale keys
        keys.add(session.get_credentials().get_frozen_credentials().access_key)
        calls += 1
        time.sleep(0.5)
    print(identity["Arn"], calls, len(keys))
""")


def short_lived(world, keycloak, sts):
    sts.configure({"ttl": TTL})
    add_keycloak_session(world, keycloak, sts)
    world.env["LEAPP_REFRESH_MARGIN"] = MARGIN
    start(world, check=True)


def test_a_job_longer_than_its_credentials_keeps_working_with_boto3(world, keycloak, sts, tmp_path):
    short_lived(world, keycloak, sts)
    job = tmp_path / "job.py"
    job.write_text(JOB)
    r = world.leapp("exec", "--server", "dev", "--", sys.executable, str(job), str(2.5 * TTL), timeout=90)
    assert r.returncode == 0, r.stderr
    arn, calls, keys = r.stdout.split()
    assert arn.startswith("arn:aws:sts::123456789012:assumed-role/Developer/")
    assert int(calls) >= 2 * TTL          # it called throughout, past two expiries
    assert int(keys) >= 2                  # and was handed new keys as the old ones neared expiry
    assert sts.get("/_sim/calls")["expired_refusals"] == 0


def test_the_aws_cli_across_an_expiry_works_under_the_server_and_not_with_static_keys(world, keycloak, sts):
    short_lived(world, keycloak, sts)
    script = f"aws sts get-caller-identity --query Arn --output text && sleep {TTL + 1} && aws sts get-caller-identity --query Arn --output text"
    r = world.leapp("exec", "--server", "dev", "--", "sh", "-c", script, timeout=90)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("assumed-role/Developer/") == 2
    # The same job with keys in its environment outlives them: the check above can fail.
    static = world.leapp("exec", "dev", "--", "sh", "-c", script, timeout=90)
    assert static.returncode != 0 and "expired" in static.stderr.lower()


def test_the_command_sees_the_endpoint_and_no_keys(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    r = world.leapp("exec", "--server", "dev", "--", "env", env={"AWS_ACCESS_KEY_ID": "AKIASTALEKEY00000000", "AWS_PROFILE": "x"})
    assert r.returncode == 0, r.stderr
    env = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    assert env["AWS_CONTAINER_CREDENTIALS_FULL_URI"].startswith("http://127.0.0.1:")
    assert len(env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) >= 40
    assert "AWS_ACCESS_KEY_ID" not in env and "AWS_SECRET_ACCESS_KEY" not in env and "AWS_PROFILE" not in env
    assert env["AWS_REGION"] == "eu-west-1"
    # The token never appears in leapp's own command line or the child's.
    assert env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] not in r.stderr


def test_exit_status_passes_through(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    assert world.leapp("exec", "--server", "dev", "--", "sh", "-c", "exit 7").returncode == 7
    assert world.leapp("exec", "--server", "dev", "--", "no-such-program-here").returncode == 127


def test_a_default_profile_with_keys_does_not_shadow_the_endpoint(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    world.aws_path("credentials").parent.mkdir(exist_ok=True)
    world.aws_path("credentials").write_text("[default]\naws_access_key_id = AKIAOTHERACCOUNT0000\naws_secret_access_key = x\n")
    r = world.leapp("exec", "--server", "dev", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/" in r.stdout
    assert "the default profile" in r.stderr
    assert world.aws_path("credentials").read_text().startswith("[default]\naws_access_key_id = AKIAOTHERACCOUNT0000")


class Served:
    """`leapp serve` running in the background, its two variables read from stdout."""

    def __init__(self, world, *args):
        env = dict(world.env)
        self.proc = subprocess.Popen([world.env["LEAPP_BIN"], "serve", "dev", *args], env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.vars = {}
        if "--env-file" not in args:
            for _ in range(2):
                line = self.proc.stdout.readline()
                assert "=" in line, self.stop()
                key, value = line.strip().split("=", 1)
                self.vars[key] = value

    def get(self, token, url=None):
        req = urllib.request.Request(url or self.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
                                     headers={} if token is None else {"Authorization": token})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=15)
        return err


def test_serve_refuses_requests_without_the_token_and_counts_them(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    served = Served(world)
    try:
        assert served.get(None)[0] == 403
        assert served.get("wrong-token")[0] == 403
        status, doc = served.get(served.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
        assert status == 200
        assert set(doc) >= {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
        assert doc["AccessKeyId"].startswith("ASIA") and doc["Expiration"].endswith("Z")
        # boto3 in another process (a container's view) reads it through the two variables.
        r = world.run([sys.executable, "-c", "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"],
                      env={**served.vars, "AWS_DEFAULT_REGION": "eu-west-1", "AWS_ENDPOINT_URL_STS": sts.url})
        assert r.returncode == 0 and "assumed-role/Developer/" in r.stdout, r.stderr
    finally:
        err = served.stop()
    assert "refused a request without the right token (1 so far)" in err
    assert "served 2 requests and refused 2" in err
    assert served.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] not in err


def test_serve_listens_only_on_loopback(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    for address in ("0.0.0.0:9911", "192.168.1.10:80", "example.com:80", "[::]:9911"):
        r = world.leapp("serve", "dev", "--listen", address)
        assert r.returncode == 64 and "loopback" in r.stderr, (address, r.stderr)


def test_serve_on_a_unix_socket_is_private_and_removed_at_exit(world, keycloak, sts, tmp_path):
    add_keycloak_session(world, keycloak, sts)
    start(world, check=True)
    path = tmp_path / "leapp.sock"
    env_file = tmp_path / "leapp.env"
    served = Served(world, "--socket", str(path), "--env-file", str(env_file))
    try:
        deadline = time.time() + 15
        while not (path.exists() and env_file.exists()) and time.time() < deadline:
            time.sleep(0.05)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        variables = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
        conn = http.client.HTTPConnection("localhost", timeout=10)
        conn.sock = socket.socket(socket.AF_UNIX)
        conn.sock.connect(str(path))
        conn.request("GET", "/credentials", headers={"Authorization": variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"]})
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["AccessKeyId"].startswith("ASIA")
    finally:
        served.stop()
    assert not path.exists() and not env_file.exists()


def test_when_the_idp_needs_a_person_the_terminal_is_told_and_stale_keys_serve_until_expiry(world, keycloak, sts, tmp_path):
    short_lived(world, keycloak, sts)
    job = tmp_path / "job.py"
    job.write_text(textwrap.dedent(f"""
        import sys, time, boto3
        sts = boto3.client("sts")
        sts.get_caller_identity()
        print("first ok", flush=True)
        sys.stdin.readline()                    # the test ends the IdP session meanwhile
        time.sleep({TTL + 1})
        try:
            sts.get_caller_identity()
        except Exception as e:
            print("second failed:", type(e).__name__, flush=True)
            sys.exit(3)
    """))
    proc = subprocess.Popen([world.env["LEAPP_BIN"], "exec", "--server", "dev", "--", sys.executable, str(job)],
                            env=world.env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == "first ok"
        keycloak.post("/_sim/expire-sessions")
        proc.stdin.write("\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 3 and "second failed" in out
    assert "could not refresh session dev" in err and "leapp session start dev" in err
    assert err.count("could not refresh session dev") == 1   # said once, not at every request
