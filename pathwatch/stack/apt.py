"""Idempotent installs of Debian packages: nothing happens when the program is already there."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Sequence

from pathwatch.stack.common import StackError

logger = logging.getLogger(__name__)


def find(program: str) -> str | None:
    """The program on PATH or in the system directories (sbin is not on every user's PATH)."""
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin:/sbin:/bin")


def ensure(program: str, packages: Sequence[str], hint: str = "") -> str:
    """Path of `program`, after `apt-get install packages` if it is missing (as root or sudo -n)."""
    path = find(program)
    if path:
        return path
    apt = shutil.which("apt-get")
    if apt is None:
        raise StackError(
            f"{program} is not installed and apt-get is not available; install Debian's "
            f"{' '.join(packages)} package{hint}"
        )
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    logger.info("installing %s with apt-get", " ".join(packages))
    for cmd in (
        [*sudo, apt, "update", "-qq"],
        [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise StackError(
                f"{program}: `{' '.join(cmd)}` failed (exit {result.returncode}):\n"
                f"{result.stderr[-2000:]}"
            )
    path = find(program)
    if path is None:
        raise StackError(f"{program}: apt-get succeeded but {program} is not found")
    return path
