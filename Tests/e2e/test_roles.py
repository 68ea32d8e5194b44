"""Role discovery: log in once, list what the assertion offers, add sessions from it."""
import json

from conftest import IDP, PASSWORD, ROLE, keycloak_config


def setup(world, keycloak, roles, **extra):
    keycloak.configure(keycloak_config(roles=roles, **extra))
    world.ok("idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url", keycloak.saml_url)


def roles(world, *args):
    r = world.leapp("idp-url", "roles", "acme", "--format", "json", "--username", "alice", "--password-stdin", *args,
                    input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_one_role_just_works(world, keycloak):
    setup(world, keycloak, [[ROLE, IDP]])
    assert roles(world) == [{"account": "123456789012", "accountName": None, "roleName": "Developer", "roleArn": ROLE, "idpArn": IDP}]
    r = world.leapp("session", "add", "--from-idp-url", "acme", "--region", "eu-west-1", input="")
    assert r.returncode == 0, r.stderr
    [s] = json.loads(world.ok("session", "list", "--format", "json").stdout)
    assert (s["alias"], s["profile"], s["roleArn"], s["idpArn"], s["region"]) == ("developer", "developer", ROLE, IDP, "eu-west-1")


def test_many_roles_either_order_and_duplicates(world, keycloak):
    offered = []
    for i in range(500):
        account = str(100000000000 + i)
        role, idp = f"arn:aws:iam::{account}:role/Team{i % 7}", f"arn:aws:iam::{account}:saml-provider/acme"
        offered.append(f"{role},{idp}" if i % 2 else f"{idp},{role}")
    offered += offered[:10]  # duplicates
    setup(world, keycloak, offered)
    listed = roles(world)
    assert len(listed) == 500
    assert listed == sorted(listed, key=lambda r: (r["account"], r["roleName"]))
    assert all(r["roleArn"].startswith("arn:aws:iam::") and ":role/" in r["roleArn"] for r in listed)
    table = world.leapp("idp-url", "roles", "acme", input="").stdout  # cookies from the first login
    assert table.count("saml-provider/acme") == 500
    r = world.leapp("session", "add", "--from-idp-url", "acme", input="")
    assert r.returncode != 0 and "offers 500 roles" in r.stderr and "--all" in r.stderr
    r = world.leapp("session", "add", "--from-idp-url", "acme", "--all", input="")
    assert r.returncode == 0, r.stderr
    sessions = json.loads(world.ok("session", "list", "--format", "json").stdout)
    assert len(sessions) == 500
    # The same role name in several accounts: aliases carry the account.
    assert "100000000000-team0" in {s["alias"] for s in sessions}
    again = world.leapp("session", "add", "--from-idp-url", "acme", "--all", input="")
    assert "no new sessions" in again.stdout


def test_encrypted_assertion(world, keycloak):
    setup(world, keycloak, [[ROLE, IDP]], encrypted=True)
    r = world.leapp("idp-url", "roles", "acme", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 69 and "encrypted" in r.stderr and "--role-arn" in r.stderr


def test_no_roles(world, keycloak):
    setup(world, keycloak, [])
    r = world.leapp("session", "add", "--from-idp-url", "acme", "--all", "--username", "alice", "--password-stdin", input=PASSWORD + "\n")
    assert r.returncode == 69 and "offers no AWS roles" in r.stderr
