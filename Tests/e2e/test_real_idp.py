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
