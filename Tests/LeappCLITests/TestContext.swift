import Foundation
import LeappCore
import XCTest

@testable import leapp

/// A keyring that fails the test when touched: a command test must say which parts of the
/// outside world it uses.
final class UntouchableSecrets: SecretStore {
    func touched(_ what: String) -> LeappError {
        XCTFail("the keyring was touched (\(what))")
        return LeappError(.keyring, "a test context has no keyring")
    }
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws { throw touched("store") }
    func lookup(_ kind: SecretKind, key: String) throws -> String? { throw touched("lookup") }
    func delete(_ kind: SecretKind, key: String) throws -> Bool { throw touched("delete") }
    func checkWritable() throws { throw touched("check") }
    func list() throws -> [(SecretKind, String)] { throw touched("list") }
}

/// A keyring in memory, for the tests that mean to touch one.
final class MemorySecrets: SecretStore {
    var items: [String: String] = [:]
    var deleted: [String] = []
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws { items["\(kind.rawValue)/\(key)"] = secret }
    func lookup(_ kind: SecretKind, key: String) throws -> String? { items["\(kind.rawValue)/\(key)"] }
    func delete(_ kind: SecretKind, key: String) throws -> Bool {
        deleted.append("\(kind.rawValue)/\(key)")
        return items.removeValue(forKey: "\(kind.rawValue)/\(key)") != nil
    }
    func list() throws -> [(SecretKind, String)] { [] }
}

/// A prompter that fails the test when asked anything.
struct UntouchablePrompter: Prompter {
    var isInteractive: Bool { false }
    func ask(_ question: String) throws -> String {
        XCTFail("asked: \(question)")
        throw LeappError(.needsUser, "no person in a test")
    }
    func askSecret(_ question: String) throws -> String {
        XCTFail("asked for a secret: \(question)")
        throw LeappError(.needsUser, "no person in a test")
    }
    func choose(_ question: String, options: [String]) throws -> Int {
        XCTFail("asked to choose: \(question)")
        throw LeappError(.needsUser, "no person in a test")
    }
    func notice(_ line: String) {}
}

extension AppContext {
    /// A context for command tests: its own HOME and XDG directories under `root`; a keyring,
    /// HTTP and prompter that fail the test when touched; output captured, never printed.
    static func forTests(root: URL) -> (AppContext, Captured) {
        let context = AppContext(environment: [
            "HOME": root.path, "XDG_CONFIG_HOME": root.path + "/config", "XDG_DATA_HOME": root.path + "/data",
        ])
        context.allowPrompts = false
        context.secrets = UntouchableSecrets()
        context.prompter = UntouchablePrompter()
        context.httpFactory = { _ in
            XCTFail("HTTP was touched")
            throw LeappError(.network, "a test context has no network")
        }
        let captured = Captured()
        context.stdout = { captured.stdout += $0 }
        context.stderr = { captured.stderr += $0 }
        return (context, captured)
    }
}

/// What a command wrote.
final class Captured {
    var stdout = ""
    var stderr = ""
}
