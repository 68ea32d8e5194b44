import Foundation
import XCTest

@testable import LeappCore

/// The rules of the kernel cache in front of the Secret Service, on fakes.
final class CredentialCacheTests: XCTestCase {
    final class FakeExpiring: ExpiringSecretStore {
        var items: [String: (String, Date)] = [:]
        func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
            items["\(kind.rawValue)/\(key)"] = (secret, .distantFuture)
        }
        func store(_ kind: SecretKind, key: String, secret: String, expiresAt: Date) throws {
            items["\(kind.rawValue)/\(key)"] = (secret, expiresAt)
        }
        func lookup(_ kind: SecretKind, key: String) throws -> String? { items["\(kind.rawValue)/\(key)"]?.0 }
        func delete(_ kind: SecretKind, key: String) throws -> Bool { items.removeValue(forKey: "\(kind.rawValue)/\(key)") != nil }
        func list() throws -> [(SecretKind, String)] { [] }
    }

    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func credentials(expiring: Date) -> String {
        let c = AWSCredentials(accessKeyId: "ASIAX", secretAccessKey: "s", sessionToken: "t", expiration: expiring)
        return String(decoding: try! JSONEncoder().encode(c), as: UTF8.self)
    }

    func testOnlyFreshCredentialsAreCachedUntilTheyExpire() throws {
        let service = FakeSecrets()
        let kernel = FakeExpiring()
        let cache = CredentialCache(store: service, cache: kernel, clock: FakeClock(now: now))
        let fresh = credentials(expiring: now.addingTimeInterval(3600))
        try cache.store(.credentials, key: "s1", label: "l", secret: fresh)
        XCTAssertEqual(kernel.items["credentials/s1"]?.1, now.addingTimeInterval(3600), "expires with the credentials")
        try cache.store(.idpSession, key: "i1", label: "l", secret: "cookies")
        XCTAssertNil(kernel.items["idp-session/i1"], "only credentials")
        service.reads = 0
        XCTAssertEqual(try cache.lookup(.credentials, key: "s1"), fresh)
        XCTAssertEqual(service.reads, 0, "a hit needs no Secret Service call")
        try cache.store(.credentials, key: "s1", label: "l", secret: credentials(expiring: now.addingTimeInterval(-5)))
        XCTAssertNil(kernel.items["credentials/s1"], "expired ones are not cached, and the old copy goes")
    }

    func testOffStillDropsAndDeleteAlwaysReachesTheCache() throws {
        let service = FakeSecrets()
        let kernel = FakeExpiring()
        let cache = CredentialCache(store: service, cache: kernel, clock: FakeClock(now: now))
        try cache.store(.credentials, key: "s1", label: "l", secret: credentials(expiring: now.addingTimeInterval(3600)))
        cache.enabled = false
        try cache.store(.credentials, key: "s1", label: "l", secret: credentials(expiring: now.addingTimeInterval(7200)))
        XCTAssertNil(kernel.items["credentials/s1"], "a write with the cache off leaves no older copy")
        cache.enabled = true
        _ = try cache.lookup(.credentials, key: "s1")
        XCTAssertNotNil(kernel.items["credentials/s1"])
        cache.enabled = false
        XCTAssertTrue(try cache.delete(.credentials, key: "s1"))
        XCTAssertNil(kernel.items["credentials/s1"])
    }
}
