import Foundation
import XCTest

@testable import LeappCore

/// QR codes of every version leapp draws (1 to 10: one block and several, with and without
/// version information) are read back by zbar, a decoder that shares no code with leapp.
final class QRCodeTests: XCTestCase {
    func decode(_ code: QRCode) throws -> String {
        let quiet = 4
        let scale = 4
        let n = (code.size + 2 * quiet) * scale
        var pixels = [UInt8](repeating: 255, count: n * n)
        for y in 0..<code.size {
            for x in 0..<code.size where code.modules[y][x] {
                for dy in 0..<scale {
                    for dx in 0..<scale { pixels[((y + quiet) * scale + dy) * n + (x + quiet) * scale + dx] = 0 }
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-qr-\(UUID().uuidString).pgm")
        defer { try? FileManager.default.removeItem(at: file) }
        try (Data("P5 \(n) \(n) 255\n".utf8) + Data(pixels)).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    func testEveryVersionDecodes() throws {
        let base = "https://acme.okta.com/activate?user_code="
        for (length, version) in [(10, 1), (30, 2), (50, 3), (70, 4), (100, 5), (130, 6), (150, 7), (190, 8), (225, 9), (271, 10)] {
            let text = (base + String(repeating: "BCDFGHJK", count: 40)).prefix(length)
            let code = try XCTUnwrap(QRCode(String(text)), "\(length) bytes")
            XCTAssertEqual(code.size, 17 + 4 * version, "\(length) bytes take version \(version)")
            XCTAssertEqual(try decode(code), String(text), "version \(version)")
        }
        XCTAssertNil(QRCode(String(repeating: "x", count: 272)), "above version 10's capacity")
    }

    func testHalfBlocksCarryTwoRowsPerLine() throws {
        let code = try XCTUnwrap(QRCode("https://x.example/"))
        let lines = code.halfBlockLines(quiet: 4)
        XCTAssertEqual(lines.count, (code.size + 8 + 1) / 2)
        XCTAssertTrue(lines.allSatisfy { $0.count == code.size + 8 })
        XCTAssertEqual(lines[0], String(repeating: " ", count: code.size + 8), "the quiet zone is light")
        XCTAssertEqual(Array(lines[2])[4], "█", "the finder's corner is dark in both rows")
    }
}
