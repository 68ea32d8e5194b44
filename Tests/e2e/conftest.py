"""Fixtures for leapp's end-to-end tests: real parts only.

- `world`: a private HOME and XDG dirs, its own D-Bus session bus and gnome-keyring
  (unlocked), and a way to run the leapp binary in it. One per test.
- `moto`, `sts`: moto's server on loopback, and the STS front that injects real STS faults.
- `keycloak`: the Keycloak simulator, reset for each test."""
import ctypes
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIMULATORS = ROOT / "Tests" / "Simulators"
LEAPP = os.environ.get("LEAPP_BIN") or str(ROOT / ".build" / "debug" / "leapp")
sys.path.insert(0, str(SIMULATORS))

ROLE = "arn:aws:iam::123456789012:role/Developer"
IDP = "arn:aws:iam::123456789012:saml-provider/acme"
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


def http_json(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"{}")


class Simulator:
    def __init__(self, kind, *args):
        self.proc = subprocess.Popen([sys.executable, str(SIMULATORS / "serve.py"), kind, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"

    def configure(self, config):
        return http_json("POST", self.url + "/_sim/config", config)

    def post(self, path, body=None):
        return http_json("POST", self.url + path, body or {})

    def get(self, path):
        return http_json("GET", self.url + path)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)


@pytest.fixture(scope="session")
def moto():
    port = free_port()
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/moto-api/")
        yield url
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.fixture(scope="session")
def sts_server(moto):
    sim = Simulator("sts", "--moto", moto)
    yield sim
    sim.stop()


@pytest.fixture
def sts(sts_server):
    sts_server.post("/_sim/config", {"max_duration": None})
    return sts_server


@pytest.fixture(scope="session")
def keycloak_server():
    sim = Simulator("keycloak")
    yield sim
    sim.stop()


def keycloak_config(**overrides):
    config = {"realm": "acme", "users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]}
    config.update(overrides)
    return config


@pytest.fixture
def keycloak(keycloak_server):
    keycloak_server.configure(keycloak_config())
    keycloak_server.saml_url = keycloak_server.url + "/realms/acme/protocol/saml/clients/amazon-aws"
    return keycloak_server


def join_new_session_keyring():
    """Gives this process (and every process it starts from now on) a new, empty session
    keyring of its own (KEYCTL_JOIN_SESSION_KEYRING with no name, as `keyctl session` does):
    the kernel keyring of one test is never another's, nor the machine's."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    if libc.syscall(250, 1, None) < 0:  # SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING
        raise OSError(ctypes.get_errno(), "cannot join a new session keyring")


class World:
    """A private user: HOME, XDG dirs, D-Bus session and keyring of its own, and a session
    keyring of its own for the kernel store (leapp is told to use it, never the persistent one)."""

    def __init__(self, root: pathlib.Path, keyring=True):
        self.root = root
        self.home = root / "home"
        dirs = {"HOME": self.home, "XDG_CONFIG_HOME": root / "config", "XDG_DATA_HOME": root / "data",
                "XDG_CACHE_HOME": root / "cache", "XDG_STATE_HOME": root / "state", "XDG_RUNTIME_DIR": root / "run"}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        os.chmod(root / "run", 0o700)
        keep = ("PATH", "LANG", "LC_ALL", "TERM", "PYENV_ROOT", "PYENV_VERSION", "TMPDIR", "LEAPP_KEYRING_TIMEOUT_MS")
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update({k: str(v) for k, v in dirs.items()})
        self.env["SHELL"] = "/bin/bash"
        self.env["LEAPP_KERNEL_KEYRING"] = "session"
        # A busy CI machine can take seconds for a D-Bus round trip: the tests of what leapp
        # says about the keyring must not turn into tests of the machine's load. The deadline
        # itself is tested where it matters (a frozen daemon), with the default restored.
        self.env.setdefault("LEAPP_KEYRING_TIMEOUT_MS", "20000")
        join_new_session_keyring()
        self.env["LEAPP_BIN"] = LEAPP
        self.env["PATH"] = str(pathlib.Path(LEAPP).parent) + ":" + self.env.get("PATH", "/usr/bin:/bin")
        self.procs = []
        if keyring:
            self.start_keyring()

    def start_keyring(self):
        bus = self.root / "run" / "bus"
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--address=unix:path={bus}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        self.procs.append(self.bus)
        for _ in range(250):
            if bus.exists():
                break
            time.sleep(0.02)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
        self.keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        self.keyring.stdin.write(b"leapp-test-keyring")
        self.keyring.stdin.close()
        self.procs.append(self.keyring)
        for _ in range(250):
            out = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                  "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"],
                                 env=self.env, capture_output=True, text=True)
            if "boolean true" in out.stdout:
                break
            time.sleep(0.02)

    def leapp(self, *args, input=None, env=None, check=None, timeout=60):
        e = dict(self.env)
        e.update(env or {})
        r = subprocess.run([LEAPP, *args], input=input, capture_output=True, text=True, env=e, timeout=timeout)
        # A library warning on the user's terminal is a defect too (errors are one leapp: line).
        assert "-CRITICAL **" not in r.stderr and "-WARNING **" not in r.stderr, r.stderr
        if check is True:
            assert r.returncode == 0, f"leapp {' '.join(args)} failed ({r.returncode}): {r.stderr}"
        return r

    def ok(self, *args, **kw):
        return self.leapp(*args, check=True, **kw)

    def run(self, argv, input=None, env=None, timeout=60, **kw):
        e = dict(self.env)
        e.update(env or {})
        return subprocess.run(argv, input=input, capture_output=True, text=True, env=e, timeout=timeout, **kw)

    @property
    def config_path(self):
        return self.root / "config" / "leapp" / "config.json"

    def aws_path(self, name):
        return self.home / ".aws" / name

    def secret_lookup(self, kind, key):
        r = self.run(["secret-tool", "lookup", "kind", kind, "key", key])
        return r.stdout if r.returncode == 0 else None

    def close(self):
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


@pytest.fixture
def bare_world(tmp_path):
    """A world with no D-Bus session at all."""
    w = World(tmp_path, keyring=False)
    yield w
    w.close()


def add_keycloak_session(world, keycloak, sts, alias="dev", profile="dev", extra=()):
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    names = [i["name"] for i in json.loads(world.ok("idp-url", "list", "--format", "json").stdout)]
    if "acme" not in names:
        world.ok("idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url)
    world.ok("session", "add", "--alias", alias, "--profile", profile, "--region", "eu-west-1",
             "--idp-url", "acme", "--idp-arn", IDP, "--role-arn", ROLE, *extra)


def start(world, *args, alias="dev", password=PASSWORD, **kw):
    return world.leapp("session", "start", alias, "--username", "alice", "--password-stdin", *args,
                       input=(password + "\n") if password is not None else None, **kw)


@pytest.fixture(scope="session")
def okta_server():
    sim = Simulator("okta")
    yield sim
    sim.stop()


@pytest.fixture
def okta(okta_server):
    okta_server.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    okta_server.saml_url = okta_server.url + "/home/amazon_aws/0oa1b2c3d4AWS/272"
    return okta_server


def add_session(world, sts, provider, url, alias="dev", extra=()):
    """Adds a session on a new IdP URL named after the provider, pointing STS at the STS front."""
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.env.setdefault("LEAPP_POLL_INTERVAL_MS", "20")
    names = [i["name"] for i in json.loads(world.ok("idp-url", "list", "--format", "json").stdout)]
    if provider not in names:
        world.ok("idp-url", "create", "--name", provider, "--provider", provider, "--url", url)
    world.ok("session", "add", "--alias", alias, "--profile", alias, "--region", "eu-west-1",
             "--idp-url", provider, "--idp-arn", IDP, "--role-arn", ROLE, *extra)


@pytest.fixture(scope="session")
def adfs_server():
    sim = Simulator("adfs")
    yield sim
    sim.stop()


@pytest.fixture
def adfs(adfs_server):
    adfs_server.configure({"users": {"alice@acme.test": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    adfs_server.saml_url = adfs_server.url + "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices"
    return adfs_server


@pytest.fixture(scope="session")
def kerberos(adfs_server):
    """A real MIT KDC (Debian's krb5-kdc) and the Negotiate front before the AD FS simulator,
    reached as http://localhost:PORT (its service principal is HTTP/localhost)."""
    from kerberos import Realm
    realm = Realm()
    front = subprocess.Popen(["/usr/bin/python3", str(SIMULATORS / "negotiate_front.py"), adfs_server.url],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, **realm.env, "KRB5_KTNAME": f"FILE:{realm.keytab}"})
    realm.front_url = f"http://localhost:{int(front.stdout.readline())}"
    yield realm
    front.terminate()
    front.wait(5)
    realm.close()


@pytest.fixture(scope="session")
def shibboleth_server():
    sim = Simulator("shibboleth")
    yield sim
    sim.stop()


@pytest.fixture
def shibboleth(shibboleth_server):
    shibboleth_server.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    shibboleth_server.saml_url = shibboleth_server.url + "/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices"
    return shibboleth_server


@pytest.fixture(scope="session")
def pingfederate_server():
    sim = Simulator("pingfederate")
    yield sim
    sim.stop()


@pytest.fixture
def pingfederate(pingfederate_server):
    pingfederate_server.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    pingfederate_server.saml_url = pingfederate_server.url + "/idp/startSSO.ping?PartnerSpId=urn:amazon:webservices"
    return pingfederate_server


@pytest.fixture(scope="session")
def jumpcloud_server():
    sim = Simulator("jumpcloud")
    yield sim
    sim.stop()


@pytest.fixture
def jumpcloud(jumpcloud_server):
    jumpcloud_server.configure({"users": {"alice@acme.test": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    jumpcloud_server.saml_url = jumpcloud_server.url + "/saml2/aws"
    return jumpcloud_server


@pytest.fixture(scope="session")
def onelogin_server():
    sim = Simulator("onelogin")
    yield sim
    sim.stop()


@pytest.fixture
def onelogin(onelogin_server):
    onelogin_server.configure({"users": {"alice": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    onelogin_server.saml_url = onelogin_server.url + "/trust/saml2/launch/123456"
    return onelogin_server


@pytest.fixture(scope="session")
def azure_server():
    sim = Simulator("azuread")
    yield sim
    sim.stop()


@pytest.fixture
def azure(azure_server):
    azure_server.configure({"users": {"alice@acme.com": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    azure_server.saml_url = (azure_server.url + "/applications/redirecttofederatedapplication.aspx"
                             "?Operation=LinkedSignIn&applicationId=9d8e7f60-1111-4222-8333-444455556666")
    return azure_server


@pytest.fixture(scope="session")
def google_server():
    sim = Simulator("google")
    yield sim
    sim.stop()


@pytest.fixture
def google(google_server):
    google_server.configure({"users": {"alice@acme.com": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    google_server.saml_url = google_server.url + "/o/saml2/initsso?idpid=C01abcd&spid=123456789&forceauthn=false"
    return google_server


@pytest.fixture(scope="session")
def auth0_server():
    sim = Simulator("auth0")
    yield sim
    sim.stop()


@pytest.fixture
def auth0(auth0_server):
    auth0_server.configure({"users": {"alice@acme.com": {"password": PASSWORD}}, "roles": [[ROLE, IDP]]})
    auth0_server.saml_url = auth0_server.url + "/samlp/AbCdEf0123456789AbCdEf0123456789"
    return auth0_server


@pytest.fixture(scope="session")
def hostile_server():
    sim = Simulator("hostile")
    yield sim
    sim.stop()


@pytest.fixture
def hostile(hostile_server):
    hostile_server.post("/_sim/serve", {"body": "<html></html>"})
    hostile_server.saml_url = hostile_server.url + "/idp"
    return hostile_server


def lock_keyring(world):
    """Locks the world's login collection, as a screen lock or a timeout would."""
    r = world.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                   "org.freedesktop.Secret.Service.Lock", "array:objpath:/org/freedesktop/secrets/collection/login"])
    assert r.returncode == 0, r.stderr


class SilentServer:
    """A TCP server on loopback that accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def close(self):
        self.sock.close()
