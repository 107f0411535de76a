import Foundation

/// `parent_watch.py`: the launcher every test server runs under, so that no server outlives the test process.
///
/// Usage: `python3 parent_watch.py PARENT_PID -- COMMAND ARGS...`. It unblocks signals (the test process runs
/// with most of them blocked, and children inherit the mask), makes itself a process-group leader, starts
/// COMMAND as its child, forwards SIGTERM and SIGINT to it, and exits with the child's status. Every 0.2 s it checks `os.getppid()`: once its
/// parent (PARENT_PID, the test process) is gone, it terminates the child (SIGTERM, then SIGKILL after 3 s).
/// After forwarding a signal it also gives the child 3 s before killing it, so stopping the launcher always
/// stops the server.
///
/// The script lives here as text and is written next to each server's log, because SwiftPM warns about
/// non-Swift files inside a target's folder and the package manifest declares no resources for this target.
public enum ParentWatch {
    public static let fileName = "parent_watch.py"

    public static let script = #"""
    import os
    import signal
    import subprocess
    import sys
    import time

    GRACE_SECONDS = 3.0
    POLL_SECONDS = 0.2


    def main() -> int:
        if len(sys.argv) < 4 or sys.argv[2] != "--":
            print("usage: parent_watch.py PARENT_PID -- COMMAND [ARGS...]", file=sys.stderr)
            return 2
        parent = int(sys.argv[1])
        # The test process runs with most signals blocked, and a spawned process inherits that mask: clear it so
        # SIGTERM reaches this launcher and, through the inherited mask, the server.
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        # Lead a process group of our own, so the harness can stop launcher and server together by PID.
        os.setpgrp()
        if os.getppid() != parent:
            return 3  # the test process is already gone
        child = subprocess.Popen(sys.argv[3:])
        stopping = {"since": None}

        def forward(signum, _frame):
            if child.poll() is None:
                child.send_signal(signum)
            if stopping["since"] is None:
                stopping["since"] = time.monotonic()

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        while True:
            try:
                return child.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            if os.getppid() != parent and stopping["since"] is None:
                child.terminate()
                stopping["since"] = time.monotonic()
            if stopping["since"] is not None and time.monotonic() - stopping["since"] > GRACE_SECONDS:
                child.kill()


    if __name__ == "__main__":
        sys.exit(main())
    """#

    /// Writes the script into `directory` and returns its path.
    public static func install(in directory: String) throws -> String {
        let path = directory + "/" + fileName
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
