import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// Prompts on the terminal: questions on stderr, answers from stdin, passwords without echo.
public struct TerminalPrompter: Prompter {
    public let isInteractive: Bool

    /// Progress lines go to a terminal only (and never with --quiet).
    public let showsProgress: Bool
    /// QR codes need a terminal that may be drawn on in color.
    public let showsQRCodes: Bool

    public init(allowed: Bool = true, progress: Bool = true, colors: Bool = false) {
        isInteractive = allowed && isatty(0) == 1 && isatty(2) == 1
        showsProgress = progress && isatty(2) == 1
        showsQRCodes = progress && colors && isatty(2) == 1
    }

    /// Black on white half blocks with the standard's 4-module quiet zone, when the terminal
    /// is wide enough (an unknown width counts as 80 columns).
    public func showQRCode(_ text: String) {
        guard showsQRCodes, let code = QRCode(text) else { return }
        var size = winsize()
        let columns = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        let lines = code.halfBlockLines(quiet: 4)
        guard let width = lines.first?.count, width <= columns else { return }
        clearProgress()
        writeErr("leapp: or scan it with a phone:\n" + lines.map { "\u{1b}[30;47m\($0)\u{1b}[0m\n" }.joined())
    }

    public func ask(_ question: String) throws -> String {
        clearProgress()
        writeErr(TerminalText.line(question))
        guard let line = readLine(strippingNewline: true) else {
            throw LeappError(.needsUser, "no answer (end of input)")
        }
        return line
    }

    /// Echo goes off before the question is shown, so nothing typed after the question can
    /// appear; the change does not flush input, so type-ahead is kept. A signal while echo is
    /// off puts the terminal back before the default action runs.
    public func askSecret(_ question: String) throws -> String {
        clearProgress()
        var saved = termios()
        var previous: [(Int32, sigaction)] = []
        let haveTTY = tcgetattr(0, &saved) == 0
        if haveTTY {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            savedTerminal = saved
            quietTerminal = quiet
            previous = catchSignalsWhileQuiet()
            tcsetattr(0, TCSANOW, &quiet)
        }
        defer {
            if haveTTY {
                tcsetattr(0, TCSANOW, &saved)
                for (sig, var action) in previous { sigaction(sig, &action, nil) }
                savedTerminal = nil
                quietTerminal = nil
                writeErr("\n")
            }
        }
        writeErr(TerminalText.line(question))
        guard let line = readLine(strippingNewline: true) else {
            throw LeappError(.needsUser, "no answer (end of input)")
        }
        return line
    }

    /// A numbered menu; the answer is a number, or text that narrows the list (type to filter):
    /// one match is chosen, several are listed again, none says so.
    public func choose(_ question: String, options: [String]) throws -> Int {
        writeErr(TerminalText.line(question) + "\n")
        var shown = Array(options.indices)
        while true {
            for i in shown { writeErr("  \(i + 1)) \(TerminalText.line(options[i]))\n") }
            let answer = try ask("Number or text to filter [1-\(options.count)]: ").trimmed
            if let n = Int(answer), (1...options.count).contains(n) { return n - 1 }
            guard !answer.isEmpty else { continue }
            let matches = options.indices.filter { options[$0].lowercased().contains(answer.lowercased()) }
            if let exact = options.indices.first(where: { options[$0].lowercased() == answer.lowercased() }) { return exact }
            if matches.count == 1 { return matches[0] }
            if matches.isEmpty { writeErr("nothing matches '\(TerminalText.line(answer))'\n") } else { shown = matches }
        }
    }

    /// Every line goes through the terminal filter: notices carry what IdPs send (device
    /// codes, URLs, factor names, push numbers).
    public func notice(_ line: String) {
        clearProgress()
        writeErr(TerminalText.line(line) + "\n")
    }

    /// A spinner and the line, redrawn in place (stderr a terminal only).
    public func progress(_ line: String?) {
        guard showsProgress else { return }
        pendingProgress.cancel()
        guard let line else { return clearProgress() }
        draw(line)
    }

    private func draw(_ line: String) {
        let frames: [Character] = ["|", "/", "-", "\\"]
        progressFrame = (progressFrame + 1) % frames.count
        writeErr("\r\u{1b}[2K\(frames[progressFrame]) \(TerminalText.line(line))")
        progressShown = true
    }

    /// The line, drawn by a timer thread if the main thread is still waiting (in a network
    /// call) after `seconds`; cancelled by the next progress call.
    public func progress(_ line: String, after seconds: Double) {
        guard showsProgress else { return }
        pendingProgress.schedule(after: seconds) { self.draw(line) }
    }

    private func clearProgress() {
        if progressShown { writeErr("\r\u{1b}[2K") }
        progressShown = false
    }
}

nonisolated(unsafe) private var progressShown = false
private let pendingProgress = DelayedAction()

/// One action run on a timer thread unless cancelled first (the slow-IdP spinner).
final class DelayedAction: @unchecked Sendable {
    private var generation = 0
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }

    func schedule(after seconds: Double, _ action: @escaping () -> Void) {
        pthread_mutex_lock(&mutex)
        generation += 1
        let mine = generation
        pthread_mutex_unlock(&mutex)
        // No thread, no spinner: the wait itself goes on.
        try? detachThread {
            SystemClock().sleep(seconds: seconds)
            self.run(mine, action)
        }
    }

    /// Runs the action if nothing cancelled it meanwhile; a cancel waits for a drawing in
    /// progress, so nothing is drawn after the line was cleared.
    private func run(_ generation: Int, _ action: () -> Void) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if self.generation == generation { action() }
    }

    func cancel() {
        pthread_mutex_lock(&mutex)
        generation += 1
        pthread_mutex_unlock(&mutex)
    }
}

nonisolated(unsafe) private var progressFrame = 0

private let restoredOnSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
/// Job control: the terminal is the shell's while leapp is stopped (Ctrl-Z), and quiet again after `fg`.
private let suspendingSignals: [Int32] = [SIGTSTP, SIGTTIN, SIGTTOU]
nonisolated(unsafe) private var savedTerminal: termios?
nonisolated(unsafe) private var quietTerminal: termios?

/// Points the terminating and stopping signals at handlers that give the terminal back,
/// and returns what they did before, to be put back; a signal the parent set to be ignored
/// stays ignored. Reads interrupted by a stop restart after `fg` (SA_RESTART).
private func catchSignalsWhileQuiet() -> [(Int32, sigaction)] {
    func install(_ signals: [Int32], _ handler: @convention(c) (Int32) -> Void) -> [(Int32, sigaction)] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = SA_RESTART
        return signals.compactMap { sig in
            var old = sigaction()
            guard sigaction(sig, nil, &old) == 0, unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) != 1 else { return nil }
            sigaction(sig, &action, nil)
            return (sig, old)
        }
    }
    return install(restoredOnSignals, restoreTerminalAndReraise) + install(suspendingSignals, restoreTerminalAndStop)
}

private func restoreTerminalAndReraise(_ sig: Int32) {
    if var saved = savedTerminal { tcsetattr(0, TCSANOW, &saved) }
    signal(sig, SIG_DFL)
    raise(sig)
}

/// Echo back on, stop as the signal asks; once continued, echo off again and keep waiting.
private func restoreTerminalAndStop(_ sig: Int32) {
    let errnoBefore = errno
    if var saved = savedTerminal { tcsetattr(0, TCSANOW, &saved) }
    var action = sigaction()
    var mine = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(sig, &action, &mine)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, sig)
    sigprocmask(SIG_UNBLOCK, &unblock, nil)
    raise(sig)  // stops here until SIGCONT
    sigaction(sig, &mine, nil)
    if var quiet = quietTerminal { tcsetattr(0, TCSANOW, &quiet) }
    errno = errnoBefore
}

public func writeErr(_ text: String) {
    var t = text
    t.withUTF8 { buf in _ = writeAll(2, UnsafeRawBufferPointer(buf)) }
}

public func writeOut(_ text: String) {
    var t = text
    t.withUTF8 { buf in _ = writeAll(1, UnsafeRawBufferPointer(buf)) }
}

public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(seconds: Double) {
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
    }
}

/// Reads all of standard input (for --password-stdin and pasted SAML responses).
public func readAllStdin(limit: Int = 16 * 1024 * 1024) throws -> String {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { b in retryingEINTR { read(0, b.baseAddress, b.count) } }
        if n < 0 { throw LeappError(.file, "cannot read standard input") }
        if n == 0 { break }
        out.append(contentsOf: buffer[0..<n])
        if out.count > limit { throw LeappError(.usage, "standard input is larger than \(limit / 1024 / 1024) MiB") }
    }
    return String(decoding: out, as: UTF8.self)
}
