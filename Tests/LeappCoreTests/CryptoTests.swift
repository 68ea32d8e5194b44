import Crypto
import XCTest
import _CryptoExtras

@testable import LeappCore

/// The published vectors of the algorithms leapp uses, through the library that provides them,
/// and the crypto-js format built on them.
final class CryptoTests: XCTestCase {
    func hex(_ s: String) -> [UInt8] {
        stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! }
    }

    func testSHA256FIPS180() {
        XCTAssertEqual(sha256Hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(sha256Hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testMD5RFC1321() {
        XCTAssertEqual(Array(Insecure.MD5.hash(data: [UInt8]())), hex("d41d8cd98f00b204e9800998ecf8427e"))
        XCTAssertEqual(
            Array(Insecure.MD5.hash(data: Array("The quick brown fox jumps over the lazy dog".utf8))),
            hex("9e107d9d372bb6826bd81d3542a419d6"))
        XCTAssertEqual(
            Array(Insecure.MD5.hash(data: Array(String(repeating: "1234567890", count: 8).utf8))), hex("57edf4a22be3c955ac49da2e2107b67a"))
    }

    func testAES256FIPS197() throws {
        // One block with a zero IV and no padding is the raw cipher (FIPS-197 appendix C.3).
        let key = SymmetricKey(data: hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"))
        let block = try AES._CBC.decrypt(
            hex("8ea2b7ca516745bfeafc49904b496089"), using: key, iv: AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16)), noPadding: true
        )
        XCTAssertEqual(Array(block), hex("00112233445566778899aabbccddeeff"))
    }

    func testCryptoJSDocumentRoundTrip() throws {
        let salt: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let (key, iv) = CryptoJSAES.bytesToKey(Array("machine-id-hash".utf8), salt: salt)
        let secret = Array(#"{"workspace":"é and more than one block of text"}"#.utf8)
        let body = try AES._CBC.encrypt(secret, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        let document = Base64.encode(Array("Salted__".utf8) + salt + Array(body))
        XCTAssertEqual(try CryptoJSAES.decrypt(document, passphrase: "machine-id-hash"), secret)
        XCTAssertThrowsError(try CryptoJSAES.decrypt(document, passphrase: "another machine"))
    }

    func testWrongPassphraseIsAnError() {
        // "Salted__" + 8 bytes salt + one block of zeros: padding will not check out.
        let doc = Base64.encode(Array("Salted__".utf8) + [UInt8](repeating: 1, count: 8) + [UInt8](repeating: 0, count: 16))
        XCTAssertThrowsError(try CryptoJSAES.decrypt(doc, passphrase: "x"))
        XCTAssertThrowsError(try CryptoJSAES.decrypt("bm90IHNhbHRlZA==", passphrase: "x"))
    }
}
