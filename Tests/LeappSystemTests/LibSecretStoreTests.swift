import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

/// Runs against the Secret Service of the private D-Bus session `make unit` provides
/// (Tests/harness/private-session); skipped anywhere else so no real keyring is touched.
final class LibSecretStoreTests: XCTestCase {
    override func setUpWithError() throws {
        let env = ProcessInfo.processInfo.environment
        guard let bus = env["DBUS_SESSION_BUS_ADDRESS"], bus.contains("leapp-private") else {
            throw XCTSkip("needs Tests/harness/private-session (a private keyring)")
        }
    }

    // Store, read, overwrite, delete, list: SecretStoreContractTests, for every store.

    func testItemIsVisibleToSecretTool() throws {
        let store = LibSecretStore()
        let key = "visible-\(UUID().uuidString)"
        try store.store(.idpSession, key: key, label: "leapp visible", secret: "cookie-jar")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/secret-tool")
        p.arguments = ["lookup", "kind", "idp-session", "key", key]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "cookie-jar")
        try store.delete(.idpSession, key: key)
    }
}
