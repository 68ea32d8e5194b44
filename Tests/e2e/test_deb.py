"""`make deb`: a Debian package of the release build that Debian's own checker (lintian) finds
no error in, whose extracted binary runs, and that carries the hooks, completions and man page."""
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("deb")
    r = subprocess.run(["make", "-C", str(ROOT), "deb", f"DEBDIR={out}"], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    debs = list(out.glob("leapp_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


def test_lintian_finds_no_error(package):
    r = subprocess.run(["lintian", "--fail-on", "error", str(package)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "E: " not in r.stdout, r.stdout


def test_the_extracted_package_runs(package, world, tmp_path):
    control = subprocess.run(["dpkg-deb", "--field", str(package), "Depends", "Suggests"], capture_output=True, text=True,
                             check=True).stdout
    assert "libcurl4" in control and "libxml2" in control and "libsecret-1-0" in control and "chromium" in control
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True, timeout=60)
    binary = str(root / "usr" / "bin" / "leapp")
    r = world.run([binary, "--version"])
    assert r.returncode == 0 and r.stdout.strip() == world.ok("--version").stdout.strip()
    r = world.run([binary, "doctor", "--offline"])
    assert "libcurl" in r.stdout and "keyring" in r.stdout, r.stdout + r.stderr
    assert r.returncode in (0, 1) and "Fatal error" not in r.stderr
    for path in ("usr/share/leapp/leapp.bash", "usr/share/leapp/leapp.zsh", "usr/share/leapp/leapp.fish",
                 "usr/share/bash-completion/completions/leapp", "usr/share/zsh/vendor-completions/_leapp",
                 "usr/share/fish/vendor_completions.d/leapp.fish", "usr/share/man/man1/leapp.1.gz"):
        assert (root / path).is_file(), path
    man = subprocess.run(["zcat", str(root / "usr/share/man/man1/leapp.1.gz")], capture_output=True, text=True, check=True).stdout
    assert ".TH LEAPP" in man and "session" in man
