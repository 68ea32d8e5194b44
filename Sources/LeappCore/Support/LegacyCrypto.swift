/// What reading a Leapp desktop workspace needs: crypto-js's `AES.encrypt(text, passphrase)`
/// format (OpenSSL's `Salted__` + salt + AES-256-CBC ciphertext, key and IV from MD5-based
/// EVP_BytesToKey). Decryption only, written from FIPS-197 and RFC 1321.
public enum CryptoJSAES {
    public static func decrypt(_ base64: String, passphrase: String) throws -> [UInt8] {
        guard let data = Base64.decode(base64), data.count >= 32, Array(data[0..<8]) == Array("Salted__".utf8) else {
            throw LeappError(.file, "not a crypto-js AES document")
        }
        let salt = Array(data[8..<16])
        let body = Array(data[16...])
        guard body.count % 16 == 0, !body.isEmpty else { throw LeappError(.file, "the encrypted document is truncated") }
        let (key, iv) = bytesToKey(Array(passphrase.utf8), salt: salt)
        let plain = AES256.decryptCBC(body, key: key, iv: iv)
        guard let pad = plain.last, pad >= 1, pad <= 16, plain.count >= Int(pad),
            plain.suffix(Int(pad)).allSatisfy({ $0 == pad })
        else {
            throw LeappError(.file, "cannot decrypt: wrong machine id or a damaged file")
        }
        return Array(plain.dropLast(Int(pad)))
    }

    /// EVP_BytesToKey(MD5, 1 iteration): 32-byte key and 16-byte IV.
    static func bytesToKey(_ password: [UInt8], salt: [UInt8]) -> ([UInt8], [UInt8]) {
        var derived: [UInt8] = []
        var block: [UInt8] = []
        while derived.count < 48 {
            block = MD5.digest(block + password + salt)
            derived += block
        }
        return (Array(derived[0..<32]), Array(derived[32..<48]))
    }
}

public enum MD5 {
    private static let s: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]
    private static let k: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64(abs(sinTable(i)) * 4294967296.0))
    }

    /// sin(i + 1) without Foundation's math: a Taylor series after range reduction.
    private static func sinTable(_ i: Int) -> Double {
        var x = Double(i + 1)
        let twoPi = 6.283185307179586
        x -= (x / twoPi).rounded(.down) * twoPi
        if x > 3.141592653589793 { x -= twoPi }
        var term = x
        var sum = x
        for n in 1..<30 {
            term *= -x * x / Double((2 * n) * (2 * n + 1))
            sum += term
        }
        return sum
    }

    public static func digest(_ message: [UInt8]) -> [UInt8] {
        var a0: UInt32 = 0x6745_2301
        var b0: UInt32 = 0xefcd_ab89
        var c0: UInt32 = 0x98ba_dcfe
        var d0: UInt32 = 0x1032_5476
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var m = [UInt32](repeating: 0, count: 16)
            for i in 0..<16 {
                let j = chunk + i * 4
                m[i] = UInt32(data[j]) | UInt32(data[j + 1]) << 8 | UInt32(data[j + 2]) << 16 | UInt32(data[j + 3]) << 24
            }
            var a = a0
            var b = b0
            var c = c0
            var d = d0
            for i in 0..<64 {
                var f: UInt32
                var g: Int
                switch i {
                case 0..<16:
                    f = (b & c) | (~b & d)
                    g = i
                case 16..<32:
                    f = (d & b) | (~d & c)
                    g = (5 * i + 1) % 16
                case 32..<48:
                    f = b ^ c ^ d
                    g = (3 * i + 5) % 16
                default:
                    f = c ^ (b | ~d)
                    g = (7 * i) % 16
                }
                f = f &+ a &+ k[i] &+ m[g]
                a = d
                d = c
                c = b
                b = b &+ ((f << s[i]) | (f >> (32 - s[i])))
            }
            a0 = a0 &+ a
            b0 = b0 &+ b
            c0 = c0 &+ c
            d0 = d0 &+ d
        }
        return [a0, b0, c0, d0].flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
    }
}

/// AES-256 decryption in CBC mode (FIPS-197 inverse cipher).
enum AES256 {
    static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        var p: UInt8 = 1
        var q: UInt8 = 1
        repeat {
            p = p ^ (p << 1) ^ (p & 0x80 != 0 ? 0x1B : 0)
            q ^= q << 1
            q ^= q << 2
            q ^= q << 4
            if q & 0x80 != 0 { q ^= 0x09 }
            let r = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4)
            box[Int(p)] = r ^ 0x63
        } while p != 1
        box[0] = 0x63
        return box
    }()

    static let inverse: [UInt8] = {
        var inv = [UInt8](repeating: 0, count: 256)
        for (i, v) in sbox.enumerated() { inv[Int(v)] = UInt8(i) }
        return inv
    }()

    static func rotl(_ x: UInt8, _ n: UInt8) -> UInt8 { (x << n) | (x >> (8 - n)) }

    static func mul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var p: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { p ^= a }
            a = (a << 1) ^ (a & 0x80 != 0 ? 0x1B : 0)
            b >>= 1
        }
        return p
    }

    static func expand(_ key: [UInt8]) -> [[UInt8]] {
        var w: [[UInt8]] = stride(from: 0, to: 32, by: 4).map { Array(key[$0..<$0 + 4]) }
        var rcon: UInt8 = 1
        for i in 8..<60 {
            var t = w[i - 1]
            if i % 8 == 0 {
                t = [sbox[Int(t[1])] ^ rcon, sbox[Int(t[2])], sbox[Int(t[3])], sbox[Int(t[0])]]
                rcon = mul(rcon, 2)
            } else if i % 8 == 4 {
                t = t.map { sbox[Int($0)] }
            }
            w.append(zip(w[i - 8], t).map { $0 ^ $1 })
        }
        return w
    }

    static func decryptBlock(_ input: [UInt8], _ w: [[UInt8]]) -> [UInt8] {
        var s = input
        func addRoundKey(_ round: Int) {
            for c in 0..<4 { for r in 0..<4 { s[c * 4 + r] ^= w[round * 4 + c][r] } }
        }
        addRoundKey(14)
        for round in stride(from: 13, through: 0, by: -1) {
            // InvShiftRows
            var t = s
            for c in 0..<4 { for r in 0..<4 { t[((c + r) % 4) * 4 + r] = s[c * 4 + r] } }
            // InvSubBytes
            s = t.map { inverse[Int($0)] }
            addRoundKey(round)
            if round > 0 {
                // InvMixColumns
                for c in 0..<4 {
                    let a = Array(s[c * 4..<c * 4 + 4])
                    s[c * 4] = mul(a[0], 14) ^ mul(a[1], 11) ^ mul(a[2], 13) ^ mul(a[3], 9)
                    s[c * 4 + 1] = mul(a[0], 9) ^ mul(a[1], 14) ^ mul(a[2], 11) ^ mul(a[3], 13)
                    s[c * 4 + 2] = mul(a[0], 13) ^ mul(a[1], 9) ^ mul(a[2], 14) ^ mul(a[3], 11)
                    s[c * 4 + 3] = mul(a[0], 11) ^ mul(a[1], 13) ^ mul(a[2], 9) ^ mul(a[3], 14)
                }
            }
        }
        return s
    }

    static func decryptCBC(_ data: [UInt8], key: [UInt8], iv: [UInt8]) -> [UInt8] {
        let w = expand(key)
        var previous = iv
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        for offset in stride(from: 0, to: data.count, by: 16) {
            let block = Array(data[offset..<offset + 16])
            out += zip(decryptBlock(block, w), previous).map { $0 ^ $1 }
            previous = block
        }
        return out
    }
}
