"""Account names: read from the AWS SAML sign-in page (the STS front serves one of its shape)
after a login, kept, and shown in role lists, menus, `session list` and generated aliases."""
import json

from conftest import IDP, PASSWORD, ROLE, add_keycloak_session, keycloak_config

PROD = "arn:aws:iam::210987654321:role/Developer"
PROD_IDP = "arn:aws:iam::210987654321:saml-provider/acme"
AUDIT = "arn:aws:iam::333333333333:role/Audit"
AUDIT_IDP = "arn:aws:iam::333333333333:saml-provider/acme"


def three_accounts(world, keycloak, sts, names=None, page="current"):
    keycloak.configure(keycloak_config(roles=[[ROLE, IDP], [PROD, PROD_IDP], [AUDIT, AUDIT_IDP]]))
    sts.configure({"account_names": names if names is not None else {"123456789012": "acme-dev", "210987654321": "acme-prod"},
                   "signin_page": page})
    world.env["LEAPP_AWS_SIGNIN_URL"] = sts.url + "/saml"
    add_keycloak_session(world, keycloak, sts)


def roles(world, *extra):
    r = world.leapp("idp-url", "roles", "acme", "--username", "alice", "--password-stdin", "--format", "json", *extra,
                    input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    return {row["roleArn"]: row for row in json.loads(r.stdout)}, r.stderr


def test_names_are_read_kept_and_shown(world, keycloak, sts):
    three_accounts(world, keycloak, sts)
    found, _ = roles(world)
    assert found[PROD]["accountName"] is None          # not asked: no extra POST
    assert sts.get("/_sim/calls")["signin_posts"] == 0
    found, err = roles(world, "--account-names")
    assert sts.get("/_sim/calls")["signin_posts"] == 1
    assert found[ROLE]["accountName"] == "acme-dev" and found[PROD]["accountName"] == "acme-prod"
    assert found[AUDIT]["accountName"] is None and found[AUDIT]["account"] == "333333333333"   # "Account: ID": no name
    assert "note" not in err
    # Kept: the next listing shows them without asking AWS again.
    found, _ = roles(world)
    assert found[PROD]["accountName"] == "acme-prod" and sts.get("/_sim/calls")["signin_posts"] == 1
    listed = json.loads(world.ok("session", "list", "--format", "json", "--columns", "alias,account,accountId").stdout)
    assert listed == [{"alias": "dev", "account": "acme-dev", "accountId": "123456789012"}]
    assert "acme-dev" in world.ok("session", "list").stdout


def test_generated_aliases_use_account_names(world, keycloak, sts):
    three_accounts(world, keycloak, sts)
    world.ok("idp-url", "edit", "acme", "--account-names")   # the setting: every discovery reads them
    world.ok("session", "delete", "dev")
    r = world.leapp("session", "add", "--from-idp-url", "acme", "--all", "--username", "alice", "--password-stdin",
                    input=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    aliases = {s["alias"] for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}
    # Two "Developer" roles: told apart by their accounts' names; Audit needs no prefix.
    assert aliases == {"acme-dev-developer", "acme-prod-developer", "audit"}


def test_a_changed_page_leaves_the_names_out_with_one_note(world, keycloak, sts):
    three_accounts(world, keycloak, sts, page="changed")
    found, err = roles(world, "--account-names")
    assert len(found) == 3 and all(row["accountName"] is None for row in found.values())
    assert err.count("account names left out") == 1 and "markup changed" in err
    sts.configure({"signin_page": "error"})
    found, err = roles(world, "--account-names")
    assert len(found) == 3 and "account names left out" in err and "HTTP 500" in err


def test_hostile_names_never_reach_the_terminal(world, keycloak, sts):
    three_accounts(world, keycloak, sts, names={"123456789012": "evil\u001b]0;pwned\u0007", "210987654321": "ok-name"})
    found, _ = roles(world, "--account-names")
    assert found[ROLE]["accountName"] is None and found[PROD]["accountName"] == "ok-name"
    assert "\u001b" not in json.dumps(json.loads(world.config_path.read_text()))
