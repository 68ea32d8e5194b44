import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// One DevTools protocol connection over a browser's pipe: the browser reads commands on
/// its descriptor 3 and writes replies and events on 4, each a JSON object ended by a NUL.
/// No TCP port another local user could reach, no WebSocket.
final class DevToolsPipe {
    enum Failure: Error {
        /// The browser closed its end (it exited or crashed).
        case closed
        case timedOut
        /// A signal arrived (its number) on the signal descriptor.
        case signal(Int32)
        /// The browser answered a command with an error.
        case command(String, String)
        /// One message was larger than `maxMessage`.
        case tooLarge
    }

    /// Messages above this are refused (a form body fits many times over).
    static let maxMessage = 32 << 20

    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let signals: Int32
    private var buffer: [UInt8] = []
    /// How much of `buffer` is known to hold no NUL: each byte is looked at once, so a
    /// message of many reads costs linear time, not a rescan per read.
    private var scanned = 0
    private var nextId = 1
    private var queued: [JSONValue] = []
    /// Monotonic seconds after which waiting fails with `timedOut`.
    var deadline: Double

    init(toBrowser: Int32, fromBrowser: Int32, signals: Int32, deadline: Double) {
        self.toBrowser = toBrowser
        self.fromBrowser = fromBrowser
        self.signals = signals
        self.deadline = deadline
    }

    func close() {
        _ = Glibc.close(toBrowser)
        _ = Glibc.close(fromBrowser)
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    @discardableResult
    func send(_ method: String, _ params: [String: JSONValue] = [:], session: String? = nil) throws -> Int {
        let id = nextId
        nextId += 1
        var message: [String: JSONValue] = ["id": .number(Double(id)), "method": .string(method), "params": .object(params)]
        if let session { message["sessionId"] = .string(session) }
        var bytes = Array(message.jsonText.utf8)
        bytes.append(0)
        if bytes.withUnsafeBytes({ writeAll(toBrowser, $0) }) != 0 { throw Failure.closed }
        return id
    }

    /// Sends a command and waits for its reply; events that arrive meanwhile are kept for `nextEvent`.
    @discardableResult
    func call(_ method: String, _ params: [String: JSONValue] = [:], session: String? = nil) throws -> JSONValue {
        let id = try send(method, params, session: session)
        while true {
            let message = try receive()
            if message["id"]?.int == id {
                if let error = message["error"] {
                    throw Failure.command(method, error["message"]?.string ?? "error")
                }
                return message["result"] ?? .object([:])
            }
            if message["method"] != nil { queued.append(message) }
        }
    }

    func nextEvent() throws -> JSONValue {
        if !queued.isEmpty { return queued.removeFirst() }
        while true {
            let message = try receive()
            if message["method"] != nil { return message }
        }
    }

    private func receive() throws -> JSONValue {
        while true {
            if let end = buffer[scanned...].firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                scanned = 0
                if let value = JSONValue.parse(message) { return value }
                continue
            }
            scanned = buffer.count
            if buffer.count > Self.maxMessage { throw Failure.tooLarge }
            try fill()
        }
    }

    private func fill() throws {
        let remaining = deadline - Self.now()
        guard remaining > 0 else { throw Failure.timedOut }
        var fds = [pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0), pollfd(fd: signals, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 2, Int32(min(remaining * 1000, 500).rounded(.up)))
        if ready < 0 {
            if errno == EINTR { return }
            throw Failure.closed
        }
        if fds[1].revents & Int16(POLLIN) != 0 {
            var number: UInt8 = 0
            _ = read(signals, &number, 1)
            throw Failure.signal(Int32(number))
        }
        guard fds[0].revents != 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
        if n == 0 { throw Failure.closed }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            throw Failure.closed
        }
        buffer.append(contentsOf: chunk[..<n])
    }
}
