import CLeappShims
import Dispatch
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The secret port on libsecret, with leapp's own schema (`dev.leapp-swift.Secret`,
/// attributes `kind` and `key`). Every call is bounded by a timeout, so a missing or
/// locked Secret Service fails fast with a message saying what to do.
public final class LibSecretStore: SecretStore {
    public let timeoutMs: Int32
    /// Told (true) when a call has taken a second (the keyring may be showing an unlock
    /// prompt), and (false) when that call ends: a person waiting sees why.
    public var waiting: (@Sendable (Bool) -> Void)?

    public init(timeoutMs: Int = 1000) {
        self.timeoutMs = Int32(timeoutMs)
    }

    private func patiently<T>(_ body: () throws -> T) rethrows -> T {
        guard let waiting else { return try body() }
        let state = WaitState()
        let notice = DispatchWorkItem { state.fire { waiting(true) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1, execute: notice)
        defer {
            notice.cancel()
            if state.finish() { waiting(false) }
        }
        return try body()
    }

    public func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = patiently { leapp_secret_store(kind.rawValue, key, label, secret, timeoutMs, &error) }
        try check(rc, error, "store")
    }

    public func lookup(_ kind: SecretKind, key: String) throws -> String? {
        var error: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<CChar>?
        let rc = patiently { leapp_secret_lookup(kind.rawValue, key, timeoutMs, &value, &error) }
        if rc == Int32(LEAPP_SECRET_NOT_FOUND) { return nil }
        try check(rc, error, "read")
        return takeString(value)
    }

    @discardableResult
    public func delete(_ kind: SecretKind, key: String) throws -> Bool {
        var error: UnsafeMutablePointer<CChar>?
        let rc = patiently { leapp_secret_clear(kind.rawValue, key, timeoutMs, &error) }
        if rc == Int32(LEAPP_SECRET_NOT_FOUND) { return false }
        try check(rc, error, "delete")
        return true
    }

    public func list() throws -> [(SecretKind, String)] {
        try SecretKind.allCases.flatMap { kind -> [(SecretKind, String)] in
            var error: UnsafeMutablePointer<CChar>?
            var keys: UnsafeMutablePointer<CChar>?
            let rc = leapp_secret_keys(kind.rawValue, timeoutMs, &keys, &error)
            try check(rc, error, "list")
            return (takeString(keys) ?? "").split(separator: "\n").map { (kind, String($0)) }
        }
    }

    /// Reads the default collection's `Locked` property: a locked one fails before a login
    /// sends anything to an IdP.
    public func checkWritable() throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = patiently { leapp_secret_check_writable(timeoutMs, &error) }
        if rc == Int32(LEAPP_SECRET_NOT_FOUND) { return }
        try check(rc, error, "store")
    }

    private func check(_ rc: Int32, _ error: UnsafeMutablePointer<CChar>?, _ verb: String) throws {
        let message = takeString(error)
        switch rc {
        case Int32(LEAPP_SECRET_OK): return
        case Int32(LEAPP_SECRET_LOCKED):
            let collection = Validation.printable(message ?? "default", limit: 60)
            throw LeappError(
                .keyring, "the keyring collection '\(collection)' is locked (cannot \(verb) a secret)",
                hint:
                    "unlock it (log in to your desktop session, or run `gnome-keyring-daemon --replace --unlock --components=secrets` and type its password), then retry",
                reason: .keyringNotNow)
        case Int32(LEAPP_SECRET_TIMEOUT):
            throw LeappError(
                .keyring, "the keyring did not answer within \(timeoutMs) ms (cannot \(verb) a secret)",
                hint:
                    "it may be locked or waiting for a prompt: unlock it (log in to your desktop, or `gnome-keyring-daemon --unlock`) and retry;"
                    + " if it is only slow to start, allow it longer with LEAPP_KEYRING_TIMEOUT_MS=5000", reason: .keyringNotNow)
        default:
            throw LeappError(
                .keyring, "cannot \(verb) a secret in the keyring: \(Self.explain(message ?? "unknown error"))",
                hint: Self.hint(for: message ?? ""))
        }
    }

    static func explain(_ message: String) -> String {
        if message.contains("autolaunch") || message.contains("DBUS_SESSION_BUS_ADDRESS") { return "no D-Bus session bus" }
        if message.contains("org.freedesktop.secrets") || message.contains("not provided by any .service") {
            return "no Secret Service is running"
        }
        return Validation.printable(message, limit: 160)
    }

    static func hint(for message: String) -> String {
        if message.contains("autolaunch") || message.contains("DBUS_SESSION_BUS_ADDRESS") {
            return "run leapp inside a desktop or `dbus-run-session` session with gnome-keyring (or KeePassXC) providing the Secret Service"
        }
        if message.contains("org.freedesktop.secrets") || message.contains("not provided by any .service") {
            return "start a Secret Service: `gnome-keyring-daemon --start --components=secrets` (or enable KeePassXC's)"
        }
        return "check that your keyring is running and unlocked"
    }
}

/// Whether the waiting notice went out, and whether the call is over (under one lock, so the
/// notice never follows the end).
private final class WaitState: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var done = false
    private var fired = false

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    func fire(_ action: () -> Void) {
        pthread_mutex_lock(&lock)
        if !done {
            fired = true
            action()
        }
        pthread_mutex_unlock(&lock)
    }

    /// Marks the call over; whether the notice had gone out.
    func finish() -> Bool {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        done = true
        return fired
    }
}
