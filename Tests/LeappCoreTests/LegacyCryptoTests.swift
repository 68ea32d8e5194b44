import XCTest

@testable import LeappCore

final class LegacyCryptoTests: XCTestCase {
    func hex(_ s: String) -> [UInt8] {
        stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! }
    }

    func testMD5Vectors() {
        XCTAssertEqual(MD5.digest([]), hex("d41d8cd98f00b204e9800998ecf8427e"))
        XCTAssertEqual(MD5.digest(Array("The quick brown fox jumps over the lazy dog".utf8)), hex("9e107d9d372bb6826bd81d3542a419d6"))
        XCTAssertEqual(MD5.digest(Array(String(repeating: "1234567890", count: 8).utf8)), hex("57edf4a22be3c955ac49da2e2107b67a"))
    }

    func testAES256FIPS197() {
        let key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        let block = AES256.decryptBlock(hex("8ea2b7ca516745bfeafc49904b496089"), AES256.expand(key))
        XCTAssertEqual(block, hex("00112233445566778899aabbccddeeff"))
    }

    func testWrongPassphraseIsAnError() {
        // "Salted__" + 8 bytes salt + one block of zeros: padding will not check out.
        let doc = Base64.encode(Array("Salted__".utf8) + [UInt8](repeating: 1, count: 8) + [UInt8](repeating: 0, count: 16))
        XCTAssertThrowsError(try CryptoJSAES.decrypt(doc, passphrase: "x"))
        XCTAssertThrowsError(try CryptoJSAES.decrypt("bm90IHNhbHRlZA==", passphrase: "x"))
    }
}
