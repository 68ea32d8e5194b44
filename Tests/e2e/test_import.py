"""Importing a Leapp desktop workspace: a fixture encrypted the way Leapp does it
(crypto-js AES with the SHA-256 of node-machine-id's machine id)."""
import base64
import hashlib
import json
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conftest import IDP, ROLE


def crypto_js_encrypt(text: str, passphrase: str) -> str:
    salt = os.urandom(8)
    derived, block = b"", b""
    while len(derived) < 48:
        block = hashlib.md5(block + passphrase.encode() + salt).digest()
        derived += block
    key, iv = derived[:32], derived[32:48]
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(b"Salted__" + salt + enc.update(data) + enc.finalize()).decode()


def workspace(sessions, idps=None, profiles=None):
    return {"_sessions": sessions, "_defaultRegion": "eu-west-1", "_defaultLocation": "default Location",
            "_idpUrls": idps if idps is not None else [{"id": "idp-1", "url": "https://acme.okta.com/home/amazon_aws/0oa1/272"},
                                                      {"id": "idp-2", "url": "https://sso.acme.com/realms/acme/protocol/saml/clients/aws"}],
            "_profiles": profiles if profiles is not None else [{"id": "prof-0", "name": "default"}, {"id": "prof-1", "name": "prod"}],
            "_awsSsoIntegrations": [], "_pinned": [], "_folders": [], "_segments": []}


def federated(name, idp="idp-1", profile="prof-1", role=ROLE, region="us-east-1"):
    return {"sessionId": "s-" + name, "sessionName": name, "status": 0, "startDateTime": None, "region": region,
            "type": "awsIamRoleFederated", "idpUrlId": idp, "idpArn": IDP, "roleArn": role, "profileId": profile}


def write(world, doc, machine_id="0f1e2d3c4b5a69788796a5b4c3d2e1f0"):
    mid = world.root / "machine-id"
    mid.write_text(machine_id + "\n")
    world.env["LEAPP_MACHINE_ID_FILE"] = str(mid)
    passphrase = hashlib.sha256(machine_id.encode()).hexdigest()
    path = world.home / ".Leapp" / "Leapp-lock.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(crypto_js_encrypt(json.dumps(doc), passphrase))
    return path


def sessions(world):
    return {s["alias"]: s for s in json.loads(world.ok("session", "list", "--format", "json").stdout)}


def test_dry_run_then_import(world):
    doc = workspace([federated("Prod Admin"), federated("dev", idp="idp-2", profile="prof-0", region="eu-west-1"),
                     {"sessionId": "x", "sessionName": "iam user", "type": "awsIamUser", "region": "eu-west-1"}])
    write(world, doc)
    r = world.ok("import", "leapp-workspace", "--dry-run")
    assert "would add session Prod-Admin (profile prod, us-east-1" in r.stdout
    assert "would add IdP URL acme.okta.com (okta)" in r.stdout and "(keycloak)" in r.stdout
    assert "skipped iam user (awsIamUser: not a federated or chained session)" in r.stdout
    assert not world.config_path.exists()
    r = world.ok("import", "leapp-workspace")
    assert "added session Prod-Admin" in r.stdout
    s = sessions(world)
    assert s["Prod-Admin"]["profile"] == "prod" and s["Prod-Admin"]["provider"] == "okta"
    assert s["dev"]["profile"] == "default" and s["dev"]["provider"] == "keycloak" and s["dev"]["region"] == "eu-west-1"
    # Running it again adds nothing.
    assert "nothing to import" in world.ok("import", "leapp-workspace").stdout


def test_wrong_machine_id_changes_nothing(world):
    path = write(world, workspace([federated("a")]))
    (world.root / "machine-id").write_text("another-machine\n")
    r = world.leapp("import", "leapp-workspace", str(path))
    assert r.returncode != 0 and "wrong machine id" in r.stderr
    assert not world.config_path.exists()


def test_invalid_session_aborts_whole_import(world):
    write(world, workspace([federated("good"), federated("bad", role="arn:aws:iam::123:role/x")]))
    r = world.leapp("import", "leapp-workspace")
    assert r.returncode != 0 and "session 'bad' in the workspace" in r.stderr
    assert not world.config_path.exists()


def test_missing_workspace(world):
    r = world.leapp("import", "leapp-workspace")
    assert r.returncode != 0 and "no Leapp workspace" in r.stderr
