import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// A started browser: its process group and its pipe.
final class RunningBrowser {
    enum Exit {
        case exited(Int32)
        case signaled(Int32)
    }

    let pid: pid_t
    let pipe: DevToolsPipe
    private var exit: Exit?

    private init(pid: pid_t, pipe: DevToolsPipe) {
        self.pid = pid
        self.pipe = pipe
    }

    static func start(
        binary: String, arguments: [String], environment: [String], keepStderr: Bool, signals: Int32, deadline: Double
    ) throws -> RunningBrowser {
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var toBrowser: Int32 = -1
        var fromBrowser: Int32 = -1
        var pid: Int32 = 0
        let rc = leapp_spawn_piped(binary, argv, envp, keepStderr ? 1 : 0, &toBrowser, &fromBrowser, &pid)
        guard rc == 0 else {
            throw LeappError(
                .config, "cannot start \(binary): \(String(cString: strerror(rc)))", hint: "set LEAPP_BROWSER_BINARY to a working browser")
        }
        return RunningBrowser(
            pid: pid, pipe: DevToolsPipe(toBrowser: toBrowser, fromBrowser: fromBrowser, signals: signals, deadline: deadline))
    }

    /// Asks the browser to close, then ends its whole process group; returns how it ended.
    func stop() -> Exit? {
        pipe.deadline = DevToolsPipe.now() + 2
        _ = try? pipe.send("Browser.close")
        if !waitExit(seconds: 3) {
            kill(-pid, SIGTERM)
            if !waitExit(seconds: 1) {
                kill(-pid, SIGKILL)
                _ = waitExit(seconds: 5)
            }
        }
        kill(-pid, SIGKILL)  // helpers of the browser left in its group
        pipe.close()
        return exit
    }

    private func waitExit(seconds: Double) -> Bool {
        let until = DevToolsPipe.now() + seconds
        while true {
            var status: Int32 = 0
            let rc = waitpid(pid, &status, WNOHANG)
            if rc == pid {
                let signal = status & 0x7f
                exit = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
                return true
            }
            if rc < 0 { return true }
            if DevToolsPipe.now() >= until { return false }
            usleep(20_000)
        }
    }
}
