import Foundation
import XCTest
import LeappCore
@testable import LeappSystem

/// TLS verification is always on; a private CA is trusted only when given as a bundle.
final class TLSTests: XCTestCase {
    func makeCertificate(in dir: URL) throws -> (cert: String, key: String) {
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                       "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("openssl could not make a certificate") }
        return (cert, key)
    }

    func testSelfSignedRefusedUnlessBundleGiven() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try makeCertificate(in: dir)
        let server = try TestServer("testserver", arguments: ["--tls", cert, key])
        XCTAssertThrowsError(try CurlHTTPClient().send(HTTPRequest(url: server.url + "/echo"))) { error in
            XCTAssertTrue("\(error)".contains("LEAPP_CA_BUNDLE"), "\(error)")
        }
        var options = CurlHTTPClient.Options()
        options.caBundle = cert
        XCTAssertEqual(try CurlHTTPClient(options: options).send(HTTPRequest(url: server.url + "/echo")).status, 200)
    }
}
