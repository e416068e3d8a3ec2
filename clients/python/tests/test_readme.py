"""clients/README.md's examples, run: the install command in a fresh virtual environment of Debian's
interpreter (offline: its setuptools and wheel, no index), then the Python example with the installed
package, in a home folder of the test's own. The Rust blocks are run by clients/rust's tests/readme.rs."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
README = os.path.join(CLIENT, "..", "README.md")
DEBIAN_PYTHON = "/usr/bin/python3"  # scripts/ensure-test-services installs python3-venv, -pip, -setuptools, -wheel


def blocks(language):
    with open(README, encoding="utf-8") as f:
        return re.findall(r"^```" + language + r"\n(.*?)^```$", f.read(), re.DOTALL | re.MULTILINE)


class ReadmeTest(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="wf-py-readme-")
        self.dir = os.path.realpath(self._tmp.name)
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)

    def tearDown(self):
        self._tmp.cleanup()

    def run_in(self, command, env, cwd, shell=False):
        result = subprocess.run(command, env=env, cwd=cwd, shell=shell, capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, f"{command}\n{result.stdout}\n{result.stderr}")
        return result

    def test_the_install_command_and_the_example_run_as_written(self):
        (install,) = blocks("sh")
        (example,) = blocks("python")
        checkout = os.path.join(self.dir, "checkout")
        shutil.copytree(CLIENT, os.path.join(checkout, "clients", "python"), ignore=shutil.ignore_patterns("__pycache__", "tests"))
        venv = os.path.join(self.dir, "venv")
        self.run_in([DEBIAN_PYTHON, "-m", "venv", "--system-site-packages", venv], dict(os.environ), self.dir)
        env = {"PATH": os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
               "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_CONFIG_FILE": os.devnull, "USER": "ana", "HOSTNAME": "desk"}
        self.run_in(install, env, checkout, shell=True)
        shell = self.run_in(["waterfall-py", "--store", "json:" + os.path.join(self.dir, "x.json"), "list"], env, self.dir)
        self.assertEqual(shell.stdout, "")

        ran = self.run_in(["python", "-c", example], env, self.dir)  # the installed package: no PYTHONPATH
        self.assertEqual(ran.stdout, "80 defaults (built-in defaults)\nserver.port 80 defaults\n")
        store = os.path.join(self.home, ".config", "pipeline", "config.json")
        with open(store, encoding="utf-8") as f:
            self.assertEqual(f.read(), '{\n  "counter": 1\n}\n')
        with open(store + ".history.ndjson", encoding="utf-8") as f:
            history = f.read()
        self.assertEqual(history.count('"surface":"python"'), 3, history)


if __name__ == "__main__":
    unittest.main()
