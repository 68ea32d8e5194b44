import LeappCore

/// In-memory stand-ins for the ports, for fast tests of the core's decisions.
final class FakeSecrets: SecretStore {
    var items: [String: String] = [:]
    var reads = 0
    /// When set, every store and delete fails with it (a keyring that went away).
    var writesFail: LeappError?
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
        if let writesFail { throw writesFail }
        items["\(kind.rawValue)/\(key)"] = secret
    }
    func lookup(_ kind: SecretKind, key: String) throws -> String? {
        reads += 1
        return items["\(kind.rawValue)/\(key)"]
    }
    func delete(_ kind: SecretKind, key: String) throws -> Bool {
        if let writesFail { throw writesFail }
        return items.removeValue(forKey: "\(kind.rawValue)/\(key)") != nil
    }
    func list() throws -> [(SecretKind, String)] {
        items.keys.sorted().compactMap { name in
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            return SecretKind(rawValue: parts[0]).map { ($0, parts[1]) }
        }
    }
}

final class FakeHTTP: HTTPClient {
    var handler: (HTTPRequest) throws -> HTTPResponse
    var requests: [HTTPRequest] = []
    init(_ handler: @escaping (HTTPRequest) throws -> HTTPResponse) { self.handler = handler }
    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        requests.append(request)
        return try handler(request)
    }
    func exportCookies() -> String { "" }
    func importCookies(_ jar: String) {}
}

struct FakeClock: Clock {
    var now: Date
    func sleep(seconds: Double) {}
}

struct SilentPrompter: Prompter {
    var isInteractive: Bool { false }
    func ask(_ question: String) throws -> String { throw LeappError(.needsUser, "no") }
    func askSecret(_ question: String) throws -> String { throw LeappError(.needsUser, "no") }
    func choose(_ question: String, options: [String]) throws -> Int { 0 }
    func notice(_ line: String) {}
}

/// A file system in memory, enough for the configuration and INI writers.
final class MemoryFS: FileSystem {
    var files: [String: [UInt8]] = [:]
    var modes: [String: UInt32] = [:]
    func read(_ path: String) throws -> [UInt8]? { files[path] }
    func read(_ path: String, limit: Int, followLinks: Bool) throws -> [UInt8]? { files[path].map { Array($0.prefix(limit)) } }
    func inspect(_ path: String) -> FileInfo {
        files[path] == nil ? FileInfo(kind: .missing) : FileInfo(kind: .regular, mode: modes[path] ?? 0o600, target: path)
    }
    func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        files[path] = bytes
        modes[path] = mode
    }
    func remove(_ path: String) throws { files[path] = nil }
    func exists(_ path: String) -> Bool { files[path] != nil || files.keys.contains { $0.hasPrefix(path + "/") } }
    func createDirectory(_ path: String, mode: UInt32) throws {}
    func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T { try body() }
    func realPath(_ path: String) -> String? { files[path] != nil ? path : nil }
    func tryLock(_ path: String) throws -> AnyObject? { HeldLock() }
}

/// A lock that is always granted (tests run in one process).
final class HeldLock {
}
