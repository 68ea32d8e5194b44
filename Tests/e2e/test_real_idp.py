"""leapp against a real SAML IdP that no one here wrote: Debian's SimpleSAMLphp on loopback, signing
its assertions, with moto's STS and the AWS CLI. Its login page, its wrong-password answer (HTTP
200 with the form again) and its session cookie are its own."""
import json

import pytest

import real_idp
from conftest import IDP, ROLE
from test_federation import caller_arn

OTHER = "arn:aws:iam::123456789012:role/ReadOnly"
ADMIN = "arn:aws:iam::210987654321:role/Admin"


@pytest.fixture(scope="module")
def simplesamlphp():
    idp = real_idp.RealIdP()
    yield idp
    idp.stop()


@pytest.fixture
def real(simplesamlphp):
    simplesamlphp.roles([(ROLE, IDP)])
    simplesamlphp.autofill(False)
    return simplesamlphp


def add(world, sts, idp):
    world.env["AWS_ENDPOINT_URL_STS"] = sts.url
    world.ok("idp-url", "create", "--name", "ssp", "--provider", "generic", "--url", idp.saml_url)
    world.ok("session", "add", "--alias", "dev", "--profile", "dev", "--region", "eu-west-1", "--idp-url", "ssp",
             "--idp-arn", IDP, "--role-arn", ROLE)


def login(world, *extra, password=real_idp.PASSWORD):
    return world.leapp("session", "start", "dev", "--username", real_idp.USER, "--password-stdin", *extra,
                       input=password + "\n")


def test_headless_login_and_the_aws_cli_sees_the_role(world, real, sts, moto):
    add(world, sts, real)
    r = login(world)
    assert r.returncode == 0, r.stderr
    assert "assumed-role/Developer/alice" in r.stderr
    assert caller_arn(world, moto, profile="dev") == "arn:aws:sts::123456789012:assumed-role/Developer/alice"


def test_wrong_password_is_named_with_the_idps_own_words(world, real, sts):
    add(world, sts, real)
    r = login(world, password="wrong")
    assert r.returncode == 69, r.stderr
    assert "generic: login refused: Incorrect username or password (step: login form)" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1


def test_the_idp_session_in_the_keyring_makes_the_next_login_silent(world, real, sts):
    add(world, sts, real)
    assert login(world).returncode == 0
    cookies = json.loads(world.secret_lookup("idp-session", json.loads(world.ok("idp-url", "list", "--format", "json").stdout)[0]["id"]))
    assert "SimpleSAMLAuthToken" in cookies["cookies"]
    world.ok("session", "stop", "dev")
    r = world.leapp("session", "start", "dev", "--no-interactive", input="")  # no username, no password
    assert r.returncode == 0, r.stderr


def test_role_discovery_reads_every_role(world, real, sts):
    real.roles([(ROLE, IDP), (OTHER, IDP), (ADMIN, "arn:aws:iam::210987654321:saml-provider/acme")])
    world.ok("idp-url", "create", "--name", "ssp", "--provider", "generic", "--url", real.saml_url)
    r = world.leapp("idp-url", "roles", "ssp", "--username", real_idp.USER, "--password-stdin", "--format", "json",
                    input=real_idp.PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert sorted(x["roleArn"] for x in json.loads(r.stdout)) == sorted([ROLE, OTHER, ADMIN])


def test_browser_login_at_the_real_idp_then_headless_refreshes(world, real, sts, tmp_path):
    """A real Chromium, headless, at SimpleSAMLphp's own login page (filled in by the page
    itself, as a password manager would) and its own auto-post page to AWS, caught in the
    browser; the IdP session cookie it earned then serves a headless refresh."""
    import shutil
    import tempfile
    if not shutil.which("chromium"):
        pytest.fail("chromium is not installed: .ci/install-deps installs it")
    tmp = tempfile.mkdtemp(prefix="lb-")
    try:
        world.env.update({"TMPDIR": tmp, "LEAPP_BROWSER_HEADLESS": "1", "LEAPP_BROWSER_TIMEOUT": "60"})
        real.autofill(True)
        add(world, sts, real)
        r = world.leapp("session", "start", "dev", "--browser", "--verbose")
        assert r.returncode == 0, r.stderr
        assert "assumed-role/Developer/alice" in r.stderr and "browser: caught the POST to signin.aws.amazon.com/saml" in r.stderr
        real.autofill(False)  # nobody fills the login page in any more
        r = world.leapp("session", "start", "dev", "--force", "--no-interactive", input="")
        assert r.returncode == 0, r.stderr
        import os
        assert os.listdir(tmp) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
