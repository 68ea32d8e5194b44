"""Chained sessions (Leapp's "AWS IAM Role Chained"): sts:AssumeRole with a parent session's
credentials, against moto behind the STS front, which checks every SigV4 signature made with
credentials it issued and refuses expired ones, as AWS does."""
import json
import time

from conftest import add_keycloak_session, start
from test_import import federated, workspace, write

ADMIN = "arn:aws:iam::210987654321:role/Admin"
AUDIT = "arn:aws:iam::333333333333:role/Audit"


def chain_of_two(world, keycloak, sts, *extra):
    """dev (federated) -> admin (chained) -> audit (chained from admin, with an external ID)."""
    add_keycloak_session(world, keycloak, sts)
    world.ok("session", "add", "--parent", "dev", "--alias", "admin", "--role-arn", ADMIN, *extra)
    world.ok("session", "add", "--parent", "admin", "--alias", "audit", "--role-arn", AUDIT, "--external-id", "acme-42",
             "--role-session-name", "alice-audit", "--region", "us-west-2")


def assume_role_calls(sts):
    return [c for c in sts.get("/_sim/calls")["calls"] if c.get("Action") == "AssumeRole"]


def test_a_chain_of_two_starts_from_one_login_and_the_aws_cli_uses_it(world, keycloak, sts):
    chain_of_two(world, keycloak, sts)
    r = start(world, alias="audit")
    assert r.returncode == 0, r.stderr
    assert "session audit started as arn:aws:sts::333333333333:assumed-role/Audit/alice-audit" in r.stderr
    calls = assume_role_calls(sts)
    assert [c["RoleArn"] for c in calls] == [ADMIN, AUDIT]
    assert calls[0]["RoleSessionName"] == "assumed-from-leapp" and calls[0]["ExternalId"] is None
    assert calls[1]["ExternalId"] == "acme-42" and calls[1]["DurationSeconds"] == "3600"
    # Each link was signed with the credentials of the link before it (the front checked the signatures).
    assert calls[0]["SignedBy"] != calls[1]["SignedBy"]
    aws = world.run(["aws", "sts", "get-caller-identity", "--profile", "audit", "--query", "Arn", "--output", "text"])
    assert aws.returncode == 0, aws.stderr
    assert aws.stdout.strip() == "arn:aws:sts::333333333333:assumed-role/Audit/alice-audit"
    listed = {s["alias"]: s for s in json.loads(world.ok("session", "list", "--format", "json", "--columns", "alias,type,parent,state,region").stdout)}
    assert listed["audit"] == {"alias": "audit", "type": "chained", "parent": "admin", "state": "active", "region": "us-west-2"}
    assert listed["admin"]["state"] == "cached" and listed["dev"]["type"] == "federated"


def test_env_and_exec_of_a_chained_session(world, keycloak, sts):
    chain_of_two(world, keycloak, sts)
    start(world, check=True)  # only the parent logs in; the chain follows silently
    r = world.leapp("exec", "admin", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
    assert r.returncode == 0 and "assumed-role/Admin/assumed-from-leapp" in r.stdout, r.stderr
    r = world.leapp("env", "audit", "--shell", "json")
    assert r.returncode == 0 and json.loads(r.stdout)["AccessKeyId"].startswith("ASIA"), r.stderr


def test_an_expired_parent_is_refreshed_before_its_child(world, keycloak, sts):
    sts.configure({"ttl": 8})
    chain_of_two(world, keycloak, sts)
    world.env["LEAPP_REFRESH_MARGIN"] = "3"
    start(world, alias="audit", check=True)
    time.sleep(9)   # every link of the chain has expired; the IdP session has not
    before = len(assume_role_calls(sts))
    r = world.leapp("credential-process", "audit")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["AccessKeyId"].startswith("ASIA")
    assert len(assume_role_calls(sts)) == before + 2   # admin, then audit, with fresh parents
    assert sts.get("/_sim/calls")["expired_refusals"] == 0


def test_a_chained_session_needs_a_sound_chain(world, keycloak, sts):
    add_keycloak_session(world, keycloak, sts)
    r = world.leapp("session", "add", "--parent", "nope", "--alias", "x", "--role-arn", ADMIN)
    assert r.returncode == 64 and "no session 'nope'" in r.stderr
    r = world.leapp("session", "add", "--parent", "dev", "--alias", "x", "--role-arn", ADMIN, "--idp-url", "acme")
    assert r.returncode == 64 and "has no IdP" in r.stderr
    r = world.leapp("session", "add", "--parent", "dev", "--alias", "x", "--role-arn", ADMIN, "--duration", "2h")
    assert r.returncode != 0 and "one hour" in r.stderr
    r = world.leapp("session", "add", "--parent", "dev", "--alias", "x", "--role-arn", ADMIN, "--external-id", "a b")
    assert r.returncode != 0 and "external ID" in r.stderr
    world.ok("session", "add", "--parent", "dev", "--alias", "admin", "--role-arn", ADMIN)
    world.ok("session", "add", "--parent", "admin", "--alias", "deep", "--role-arn", AUDIT)
    r = world.leapp("session", "edit", "admin", "--parent", "deep")
    assert r.returncode != 0 and "loop" in r.stderr
    r = world.leapp("session", "delete", "admin")
    assert r.returncode != 0 and "parent of deep" in r.stderr
    # Deleting the IdP URL takes the chain with it (nothing could log it in).
    r = world.leapp("idp-url", "delete", "acme")
    assert r.returncode != 0 and "admin" in r.stderr and "deep" in r.stderr


def test_a_refused_assume_role_says_what_to_check(world, keycloak, sts):
    from test_shell import plant_credentials
    add_keycloak_session(world, keycloak, sts)
    world.ok("session", "add", "--parent", "dev", "--alias", "admin", "--role-arn", ADMIN)
    start(world, check=True)
    # The parent's cached secret spoiled: STS (the front, checking SigV4 as AWS does) refuses
    # the signature it makes.
    cached = json.loads(world.ok("env", "dev", "--shell", "json").stdout)
    plant_credentials(world, "dev", cached["AccessKeyId"], "A" * 40, cached["SessionToken"], expires_in=3000)
    r = world.leapp("session", "start", "admin")
    assert r.returncode == 69, r.stderr
    assert "SignatureDoesNotMatch" in r.stderr
    assert cached["SessionToken"] not in r.stderr and "A" * 40 not in r.stderr


def chained(name, parent, role=ADMIN, profile="prof-0", session_name=None):
    entry = {"sessionId": "s-" + name, "sessionName": name, "status": 0, "startDateTime": None, "region": "eu-west-1",
             "type": "awsIamRoleChained", "roleArn": role, "profileId": profile, "parentSessionId": "s-" + parent}
    if session_name:
        entry["roleSessionName"] = session_name
    return entry


def test_import_brings_leapp_chained_sessions_in(world):
    doc = workspace([chained("deep", "admin", role=AUDIT),   # listed before its parent
                     federated("dev"), chained("admin", "dev", session_name="from-leapp"),
                     {"sessionId": "s-user", "sessionName": "iam user", "type": "awsIamUser", "region": "eu-west-1"},
                     chained("from user", "user")])
    write(world, doc)
    r = world.ok("import", "leapp-workspace")
    assert "added session admin" in r.stdout and "added session deep" in r.stdout
    assert "skipped from user (chained from a session leapp does not import" in r.stdout
    config = json.loads(world.config_path.read_text())
    by_alias = {s["alias"]: s for s in config["sessions"]}
    assert by_alias["admin"]["parentId"] == by_alias["dev"]["id"]
    assert by_alias["admin"]["roleSessionName"] == "from-leapp"
    assert by_alias["deep"]["parentId"] == by_alias["admin"]["id"] and by_alias["deep"]["roleArn"] == AUDIT
    assert "idpUrlId" not in by_alias["deep"]
    # Again: nothing new.
    assert "added session" not in world.ok("import", "leapp-workspace").stdout


def test_the_prompt_hook_activates_a_chained_session_in_its_directory(world, keycloak, sts):
    from shells import PtyShell
    from test_shell import write_marker
    chain_of_two(world, keycloak, sts)
    start(world, check=True)   # the IdP session is kept: the chain's first login needs no person
    app = world.root / "audit-app"
    write_marker(str(app), "audit")
    world.ok("allow", str(app))
    sh = PtyShell("bash", world.env, str(world.root))
    try:
        sh.send(f"cd {app}")
        env = sh.env()
        assert env.get("LEAPP_SESSION") == "audit" and env.get("LEAPP_ROLE_ARN") == AUDIT, env
        assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA") and env["AWS_REGION"] == "us-west-2"
    finally:
        sh.close()
    assert [c["RoleArn"] for c in assume_role_calls(sts)] == [ADMIN, AUDIT]
