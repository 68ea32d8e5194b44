"""A throwaway MIT Kerberos realm on loopback (Debian's krb5-kdc): its own krb5.conf, database,
KDC process and keytab in a temp dir; nothing of the machine's Kerberos is read or changed.
Principals: alice (a password) and HTTP/localhost (the AD FS front's service key, so the
front is reached as http://localhost:PORT)."""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time

from conftest import free_port

REALM = "LEAPP.TEST"
ALICE_PASSWORD = "kerberos-alice-pw"


class Realm:
    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="leapp-krb-"))
        port = free_port()
        self.conf = self.dir / "krb5.conf"
        self.conf.write_text(
            "[libdefaults]\n  default_realm = LEAPP.TEST\n  dns_lookup_kdc = false\n  dns_lookup_realm = false\n"
            "  rdns = false\n  udp_preference_limit = 1\n"
            f"[realms]\n  LEAPP.TEST = {{\n    kdc = 127.0.0.1:{port}\n  }}\n"
            "[domain_realm]\n  localhost = LEAPP.TEST\n")
        kdc_conf = self.dir / "kdc.conf"
        kdc_conf.write_text(
            f"[kdcdefaults]\n  kdc_listen = 127.0.0.1:{port}\n  kdc_tcp_listen = 127.0.0.1:{port}\n"
            f"[realms]\n  LEAPP.TEST = {{\n    database_name = {self.dir}/principal\n    key_stash_file = {self.dir}/stash\n"
            f"    acl_file = {self.dir}/kadm5.acl\n  }}\n")
        self.env = {"KRB5_CONFIG": str(self.conf), "KRB5_KDC_PROFILE": str(kdc_conf)}
        env = {**os.environ, **self.env}
        run = lambda *args: subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)
        run("kdb5_util", "create", "-s", "-r", REALM, "-P", "leapp test master")
        run("kadmin.local", "-r", REALM, "-q", f"addprinc -pw {ALICE_PASSWORD} alice")
        run("kadmin.local", "-r", REALM, "-q", "addprinc -randkey HTTP/localhost")
        self.keytab = self.dir / "http.keytab"
        run("kadmin.local", "-r", REALM, "-q", f"ktadd -k {self.keytab} HTTP/localhost")
        self.kdc = subprocess.Popen(["krb5kdc", "-n", "-P", str(self.dir / "kdc.pid")], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.kdc.poll() is not None:
                    raise RuntimeError("the test KDC did not start")
                time.sleep(0.05)

    def kinit(self, cache: pathlib.Path, principal="alice", password=ALICE_PASSWORD):
        """A ticket for the principal in `cache` (a file), as `kinit` gets one."""
        subprocess.run(["kinit", principal], input=password + "\n", text=True, check=True, capture_output=True, timeout=30,
                       env={**os.environ, **self.env, "KRB5CCNAME": f"FILE:{cache}"})

    def close(self):
        self.kdc.terminate()
        try:
            self.kdc.wait(5)
        except subprocess.TimeoutExpired:
            self.kdc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
