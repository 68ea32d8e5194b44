import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

/// One contract for every secret store: store, read, overwrite, delete, kinds kept apart, the
/// largest record leapp writes (a big cookie jar), and concurrent writers. Each store runs in
/// the private world of `make unit` (Tests/harness/private-session): its own D-Bus session and
/// keyring, its own kernel session keyring; skipped anywhere else. (Each store's class names
/// the test methods: Linux test discovery does not see inherited ones.)
class SecretStoreContract: XCTestCase {
    func makeStore() throws -> SecretStore { throw XCTSkip("the contract itself") }

    func checkRoundTripOverwriteDelete() throws {
        let store = try makeStore()
        let key = "contract-\(UUID().uuidString)"
        XCTAssertNil(try store.lookup(.credentials, key: key))
        try store.store(.credentials, key: key, label: "leapp test", secret: "v1 ✓ \"quoted\"\n\t")
        XCTAssertEqual(try store.lookup(.credentials, key: key), "v1 ✓ \"quoted\"\n\t")
        try store.store(.credentials, key: key, label: "leapp test", secret: "v2")
        XCTAssertEqual(try store.lookup(.credentials, key: key), "v2")
        XCTAssertNil(try store.lookup(.idpSession, key: key), "kinds are separate")
        XCTAssertTrue(try store.list().contains { $0.0 == .credentials && $0.1 == key }, "listed by kind and key")
        XCTAssertTrue(try store.delete(.credentials, key: key))
        XCTAssertFalse(try store.delete(.credentials, key: key))
        XCTAssertNil(try store.lookup(.credentials, key: key))
        XCTAssertFalse(try store.list().contains { $0.1 == key }, "gone from the list too")
    }

    /// A cookie jar of 300 KiB (a user key holds 32 KiB), then a small value in its place, then
    /// a large one again: each read gives back exactly what was stored last.
    func checkTheLargestRecord() throws {
        let store = try makeStore()
        let key = "large-\(UUID().uuidString)"
        let big = (0..<6000).map { "acme.example.com\tFALSE\t/\tTRUE\t0\tcookie\($0)\tvalue-\($0)-" + String(repeating: "x", count: 20) }
            .joined(separator: "\n")
        XCTAssertGreaterThan(big.utf8.count, 300_000)
        try store.store(.idpSession, key: key, label: "leapp test", secret: big)
        XCTAssertEqual(try store.lookup(.idpSession, key: key), big)
        try store.store(.idpSession, key: key, label: "leapp test", secret: "small")
        XCTAssertEqual(try store.lookup(.idpSession, key: key), "small")
        try store.store(.idpSession, key: key, label: "leapp test", secret: big + "2")
        XCTAssertEqual(try store.lookup(.idpSession, key: key), big + "2")
        XCTAssertTrue(try store.delete(.idpSession, key: key))
        XCTAssertNil(try store.lookup(.idpSession, key: key))
    }

    /// Twenty writers at once, each with its own store (as twenty leapp processes): every
    /// record is whole afterwards, and one shared record holds one of the values written.
    func checkConcurrentWriters() throws {
        let stores = Stores(all: try (0..<20).map { _ in try makeStore() })
        let shared = "shared-\(UUID().uuidString)"
        let prefix = "own-\(UUID().uuidString)-"
        let failures = ConcurrentCount()
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            do {
                try stores.all[i].store(.credentials, key: prefix + "\(i)", label: "leapp test", secret: "value \(i)")
                try stores.all[i].store(.credentials, key: shared, label: "leapp test", secret: "writer \(i)")
            } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        let store = try makeStore()
        for i in 0..<20 { XCTAssertEqual(try store.lookup(.credentials, key: prefix + "\(i)"), "value \(i)") }
        let last = try XCTUnwrap(try store.lookup(.credentials, key: shared))
        XCTAssertTrue(last.hasPrefix("writer "), last)
    }
}

/// Stores handed to concurrent writers, one each.
struct Stores: @unchecked Sendable {
    let all: [SecretStore]
}

final class ConcurrentCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

final class LibSecretStoreContractTests: SecretStoreContract {
    override func makeStore() throws -> SecretStore {
        guard let bus = ProcessInfo.processInfo.environment["DBUS_SESSION_BUS_ADDRESS"], bus.contains("leapp-private") else {
            throw XCTSkip("needs Tests/harness/private-session (a private keyring)")
        }
        return LibSecretStore(timeoutMs: 25_000)
    }

    func testRoundTripOverwriteDelete() throws { try checkRoundTripOverwriteDelete() }
    func testTheLargestRecord() throws { try checkTheLargestRecord() }
    func testConcurrentWriters() throws { try checkConcurrentWriters() }
}

final class KernelKeyringStoreContractTests: SecretStoreContract {
    override func makeStore() throws -> SecretStore {
        guard ProcessInfo.processInfo.environment["LEAPP_PRIVATE_SESSION_KEYRING"] == "1" else {
            throw XCTSkip("needs Tests/harness/private-session (a session keyring of its own)")
        }
        return KernelKeyringStore(scope: .session, name: "leapp-contract")
    }

    func testRoundTripOverwriteDelete() throws { try checkRoundTripOverwriteDelete() }
    func testTheLargestRecord() throws { try checkTheLargestRecord() }
    func testConcurrentWriters() throws { try checkConcurrentWriters() }

    /// Twenty processes' first use at once, each making leapp's keyring: one keyring wins and no
    /// record written into a keyring that lost is lost with it (a keyring made over another
    /// displaces it). Ten rounds, each with a keyring no one has made yet.
    func testFirstUsesAtOnceMakeOneKeyring() throws {
        _ = try makeStore()
        for round in 0..<10 {
            let name = "leapp-first-\(UUID().uuidString)"
            let stores = Stores(all: (0..<20).map { _ in KernelKeyringStore(scope: .session, name: name) })
            let failures = ConcurrentCount()
            let ready = DispatchGroup()
            let go = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for i in 0..<20 {
                ready.enter()
                done.enter()
                Thread.detachNewThread {
                    ready.leave()
                    go.wait()
                    do { try stores.all[i].store(.credentials, key: "k\(i)", label: "t", secret: "v\(i)") } catch { failures.add() }
                    done.leave()
                }
            }
            XCTAssertEqual(ready.wait(timeout: .now() + 10), .success)
            for _ in 0..<20 { go.signal() }  // twenty threads, not the pool's one per core
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
            XCTAssertEqual(failures.value, 0, "round \(round)")
            let reader = KernelKeyringStore(scope: .session, name: name)
            let missing = (0..<20).filter { (try? reader.lookup(.credentials, key: "k\($0)")) != "v\($0)" }
            XCTAssertEqual(missing, [], "round \(round): records lost with a displaced keyring")
            _ = try reader.removeAll()
        }
    }
}

final class EncryptedFileStoreContractTests: SecretStoreContract {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-file-store-\(getpid())").path

    override func makeStore() throws -> SecretStore {
        guard ProcessInfo.processInfo.environment["LEAPP_PRIVATE_SESSION_KEYRING"] == "1" else {
            throw XCTSkip("needs Tests/harness/private-session (a session keyring of its own for the file's key)")
        }
        return EncryptedFileStore(
            fs: POSIXFileSystem(), path: Self.directory + "/secrets.sealed",
            keyCache: KernelKeyringStore(scope: .session, name: "leapp-contract-file")
        ) { _ in "correct horse battery staple" }
    }

    func testRoundTripOverwriteDelete() throws { try checkRoundTripOverwriteDelete() }
    func testTheLargestRecord() throws { try checkTheLargestRecord() }
    func testConcurrentWriters() throws { try checkConcurrentWriters() }

    /// A wrong passphrase is refused by name and changes nothing; a changed or cut file is
    /// refused, never half-read.
    func testWrongPassphraseAndTamperedFile() throws {
        _ = try makeStore()
        let path = Self.directory + "/tamper-\(UUID().uuidString).sealed"
        func store(_ words: String, cache: String) -> EncryptedFileStore {
            EncryptedFileStore(
                fs: POSIXFileSystem(), path: path, keyCache: KernelKeyringStore(scope: .session, name: cache)
            ) { _ in words }
        }
        try store("first passphrase", cache: "leapp-c1").store(.password, key: "k", label: "t", secret: "s3cret")
        let before = try XCTUnwrap(FileManager.default.contents(atPath: path))
        XCTAssertFalse(before.contains(Data("s3cret".utf8)), "sealed, not plain")
        XCTAssertEqual(try store("first passphrase", cache: "leapp-c2").lookup(.password, key: "k"), "s3cret")
        XCTAssertThrowsError(try store("wrong one", cache: "leapp-c3").store(.password, key: "k", label: "t", secret: "x")) {
            XCTAssertTrue("\($0)".contains("wrong passphrase"), "\($0)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), before, "a wrong passphrase touches nothing")
        var flipped = before
        flipped[flipped.count - 20] ^= 0x01
        FileManager.default.createFile(atPath: path, contents: flipped)
        XCTAssertThrowsError(try store("first passphrase", cache: "leapp-c4").lookup(.password, key: "k")) {
            XCTAssertTrue("\($0)".contains("changed or cut short"), "\($0)")
        }
        FileManager.default.createFile(atPath: path, contents: before.prefix(before.count - 7))
        XCTAssertThrowsError(try store("first passphrase", cache: "leapp-c5").lookup(.password, key: "k"))
        var header = before
        header[header.firstIndex(of: UInt8(ascii: "8"))!] = UInt8(ascii: "4")  // r: 8 -> 4, salt and check kept
        FileManager.default.createFile(atPath: path, contents: header)
        XCTAssertThrowsError(try store("first passphrase", cache: "leapp-c6").lookup(.password, key: "k"))
    }
}
