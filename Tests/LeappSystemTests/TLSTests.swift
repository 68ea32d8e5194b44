import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

/// TLS verification is always on; a private CA is trusted only when given as a bundle.
final class TLSTests: XCTestCase {
    func makeCertificate(in dir: URL, name: String = "127.0.0.1", san: String = "IP:127.0.0.1") throws -> (cert: String, key: String) {
        let cert = dir.appendingPathComponent("\(name)-cert.pem").path
        let key = dir.appendingPathComponent("\(name)-key.pem").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(name)",
            "-addext", "subjectAltName=\(san)", "-keyout", key, "-out", cert,
        ]
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

    /// Trusted through the bundle but issued for another name: refused (host-name verification).
    func testCertificateForAnotherNameIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try makeCertificate(in: dir, name: "idp.other.example", san: "DNS:idp.other.example")
        let server = try TestServer("testserver", arguments: ["--tls", cert, key])
        var options = CurlHTTPClient.Options()
        options.caBundle = cert
        XCTAssertThrowsError(try CurlHTTPClient(options: options).send(HTTPRequest(url: server.url + "/echo"))) { error in
            XCTAssertTrue("\(error)".contains("request to 127.0.0.1 failed") && "\(error)".contains("TLS"), "\(error)")
        }
    }
}
