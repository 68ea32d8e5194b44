"""`make install` as a user runs it: a release binary with the Swift stdlib inside and the
C libraries opened only when needed, the hooks, and tab completions where shells look."""
import os
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dest = tmp_path_factory.mktemp("destdir")
    r = subprocess.run(["make", "-C", str(ROOT), "install", f"DESTDIR={dest}", "PREFIX=/usr"],
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return dest / "usr"


def test_release_binary_needs_only_the_c_runtime(installed):
    binary = installed / "bin" / "leapp"
    assert os.access(binary, os.X_OK)
    libs = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    for lazy in ("libswift", "libFoundation", "libcurl", "libxml2", "libsecret", "libglib"):
        assert lazy not in libs, libs
    assert "libc.so.6" in libs


def test_installed_binary_works_in_a_private_world(installed, world):
    binary = str(installed / "bin" / "leapp")
    r = world.run([binary, "--version"])
    assert r.returncode == 0 and r.stdout.strip() == world.ok("--version").stdout.strip()
    r = world.run([binary, "idp-url", "create", "--url", "https://idp.example.com/saml", "--provider", "okta", "--name", "acme"])
    assert r.returncode == 0, r.stderr
    # The debug build reads what the release build wrote: same configuration format.
    assert "acme" in world.ok("idp-url", "list").stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_hooks_and_completions_are_installed(installed, shell):
    hook = installed / "share" / "leapp" / f"leapp.{shell}"
    assert hook.read_bytes() == (ROOT / "shell" / f"leapp.{shell}").read_bytes()
    completion = {
        "bash": installed / "share" / "bash-completion" / "completions" / "leapp",
        "zsh": installed / "share" / "zsh" / "site-functions" / "_leapp",
        "fish": installed / "share" / "fish" / "vendor_completions.d" / "leapp.fish",
    }[shell]
    text = completion.read_text()
    assert "---completion" in text, "the custom (alias) completions are wired in"
    # Each file is valid syntax for its shell.
    r = subprocess.run([shell, "-n", str(completion)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
