"""A real SAML IdP that no one here wrote: Debian's SimpleSAMLphp under PHP's built-in server,
configured in a private directory as an IdP for AWS (service provider urn:amazon:webservices,
one user, the Role / RoleSessionName / SessionDuration attributes, signed assertions).

The service-provider metadata is re-read on every request, so `roles()` changes what the next
login offers without a restart.

Browser login's test switch, `autofill(True)`: PHP's built-in server runs a router of ours in
front of SimpleSAMLphp that adds a script to its pages: on a page with a password field it
fills in the user and submits, as a password manager would. SimpleSAMLphp's own pages, its
session and its auto-post to AWS are untouched."""
import os
import pathlib
import socket
import subprocess
import tempfile
import time
import urllib.request

WWW = "/usr/share/simplesamlphp/www"
USER, PASSWORD = "alice", "correct horse battery staple"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _php(value):
    """A PHP single-quoted string literal."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


class RealIdP:
    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="leapp-simplesamlphp-"))
        for sub in ("config", "metadata", "cert", "log", "data", "tmp", "sessions"):
            (self.dir / sub).mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=leapp-test-idp",
                        "-keyout", str(self.dir / "cert" / "idp.key"), "-out", str(self.dir / "cert" / "idp.crt")],
                       check=True, capture_output=True)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.saml_url = self.url + "/saml2/idp/SSOService.php?spentityid=urn%3Aamazon%3Awebservices"
        self._write_config()
        self.roles([("arn:aws:iam::123456789012:role/Developer", "arn:aws:iam::123456789012:saml-provider/acme")])
        env = dict(os.environ, SIMPLESAMLPHP_CONFIG_DIR=str(self.dir / "config"))
        self._write_router()
        self.proc = subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", WWW, str(self.dir / "router.php")], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while True:
            try:
                urllib.request.urlopen(self.url + "/module.php/core/loginuserpass.php", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers (an error page without AuthState is an answer)
            except Exception:
                if time.time() > deadline:
                    raise RuntimeError("SimpleSAMLphp did not start")
                time.sleep(0.05)

    def _write_config(self):
        d = self.dir
        (d / "config" / "config.php").write_text(f"""<?php
$config = [
    'baseurlpath' => '/',
    'certdir' => {_php(d / 'cert')} . '/',
    'loggingdir' => {_php(d / 'log')} . '/',
    'datadir' => {_php(d / 'data')} . '/',
    'tempdir' => {_php(d / 'tmp')},
    'metadatadir' => {_php(d / 'metadata')},
    'secretsalt' => 'leapp-test-salt-not-secret',
    'auth.adminpassword' => 'leapp-test-admin',
    'technicalcontact_name' => 'leapp tests',
    'technicalcontact_email' => 'tests@leapp.invalid',
    'timezone' => 'UTC',
    'logging.level' => SimpleSAML\\Logger::ERR,
    'logging.handler' => 'file',
    'enable.saml20-idp' => true,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
    'store.type' => 'phpsession',
    'session.phpsession.savepath' => {_php(d / 'sessions')},
    'session.cookie.secure' => false,
    'session.cookie.samesite' => null,
    'language.available' => ['en'],
    'theme.use' => 'default',
];
""")
        (d / "config" / "authsources.php").write_text(f"""<?php
$config = [
    'admin' => ['core:AdminPassword'],
    'aws-users' => ['exampleauth:UserPass', {_php(USER + ':' + PASSWORD)} => ['uid' => [{_php(USER)}]]],
];
""")
        (d / "metadata" / "saml20-idp-hosted.php").write_text(f"""<?php
$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    'privatekey' => {_php(d / 'cert' / 'idp.key')},
    'certificate' => {_php(d / 'cert' / 'idp.crt')},
    'auth' => 'aws-users',
];
""")

    def _write_router(self):
        fill = ("<script>addEventListener('load', function () {"
                "var p = document.querySelector('input[type=password]'); if (!p) return;"
                f"var f = p.form; f.elements['username'].value = {USER!r}; p.value = {PASSWORD!r}; f.submit(); }});</script>")
        (self.dir / "router.php").write_text(f"""<?php
// Test switch for browser login: only while the flag file exists.
if (file_exists({_php(self.dir / 'autofill')})) {{
    ob_start(function ($html) {{ return str_replace('</body>', {_php(fill)} . '</body>', $html); }});
}}
return false;  // SimpleSAMLphp serves the request as it would without us
""")

    def autofill(self, on):
        flag = self.dir / "autofill"
        if on:
            flag.write_text("1")
        elif flag.exists():
            flag.unlink()

    def roles(self, pairs, session_duration=3600):
        """What the next assertion offers: (role ARN, provider ARN) pairs, written as AWS expects."""
        values = ", ".join(_php(f"{role},{provider}") for role, provider in pairs)
        (self.dir / "metadata" / "saml20-sp-remote.php").write_text(f"""<?php
$metadata['urn:amazon:webservices'] = [
    'AssertionConsumerService' => 'https://signin.aws.amazon.com/saml',
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    'authproc' => [
        10 => ['class' => 'core:AttributeAdd',
               'https://aws.amazon.com/SAML/Attributes/Role' => [{values}],
               'https://aws.amazon.com/SAML/Attributes/SessionDuration' => [{_php(session_duration)}]],
        20 => ['class' => 'core:AttributeCopy', 'uid' => 'https://aws.amazon.com/SAML/Attributes/RoleSessionName'],
        30 => ['class' => 'saml:AttributeNameID', 'attribute' => 'uid',
               'Format' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
        40 => ['class' => 'core:AttributeLimit',
               'https://aws.amazon.com/SAML/Attributes/Role', 'https://aws.amazon.com/SAML/Attributes/RoleSessionName',
               'https://aws.amazon.com/SAML/Attributes/SessionDuration'],
    ],
];
""")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", str(self.dir)])
