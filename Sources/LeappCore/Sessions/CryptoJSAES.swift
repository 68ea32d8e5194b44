import Crypto
import _CryptoExtras

/// What reading a Leapp desktop workspace needs: crypto-js's `AES.encrypt(text, passphrase)`
/// format (OpenSSL's `Salted__` + salt + AES-256-CBC ciphertext with PKCS#7 padding, key and IV
/// from MD5-based EVP_BytesToKey). Decryption only; the ciphers are swift-crypto's.
public enum CryptoJSAES {
    public static func decrypt(_ base64: String, passphrase: String) throws -> [UInt8] {
        guard let data = Base64.decode(base64), data.count >= 32, Array(data[0..<8]) == Array("Salted__".utf8) else {
            throw LeappError(.file, "not a crypto-js AES document")
        }
        let salt = Array(data[8..<16])
        let body = Array(data[16...])
        guard body.count % 16 == 0, !body.isEmpty else { throw LeappError(.file, "the encrypted document is truncated") }
        let (key, iv) = bytesToKey(Array(passphrase.utf8), salt: salt)
        do {
            return Array(try AES._CBC.decrypt(body, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv)))
        } catch {
            throw LeappError(.file, "cannot decrypt: wrong machine id or a damaged file")
        }
    }

    /// EVP_BytesToKey(MD5, 1 iteration): 32-byte key and 16-byte IV.
    static func bytesToKey(_ password: [UInt8], salt: [UInt8]) -> ([UInt8], [UInt8]) {
        var derived: [UInt8] = []
        var block: [UInt8] = []
        while derived.count < 48 {
            block = Array(Insecure.MD5.hash(data: block + password + salt))
            derived += block
        }
        return (Array(derived[0..<32]), Array(derived[32..<48]))
    }
}

/// SHA-256 as lowercase hex (content hashes of allowed markers, the profile ledger).
public func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { b in
        let s = String(b, radix: 16)
        return s.count == 1 ? "0" + s : s
    }.joined()
}
