"""Starting and stopping: a taken port stops the start with a message naming it; an
interrupt (Ctrl+C) stops every part and the process exits cleanly."""

import socket
import subprocess
import sys

import psutil

from localcloud.process import LocalCloudProcess


def test_a_taken_port_stops_the_start_with_a_clear_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        finished = subprocess.run(
            [sys.executable, "-m", "localcloud", "--http-port", str(port), "--no-demo"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert finished.returncode == 2
    assert f"port {port}" in finished.stderr
    assert "--http-port" in finished.stderr


def test_an_interrupt_stops_every_part_and_leaves_nothing_running():
    cloud = LocalCloudProcess("--no-demo")
    cloud.start()
    process = psutil.Process(cloud.pid)
    children = process.children(recursive=True)

    code = cloud.stop()

    assert code == 0, cloud.log_file.read_text()
    assert not any(child.is_running() for child in children)
    assert "stopping" in cloud.log_file.read_text()
