/// A QR code (ISO/IEC 18004) for a short text such as a verification URL: byte mode, error
/// correction level L, versions 1 to 10 (up to 271 bytes), the mask with the lowest penalty.
/// Written for device login, so a phone can open the URL from the terminal.
public struct QRCode: Sendable {
    /// `modules[y][x]`: true is dark.
    public let modules: [[Bool]]
    public var size: Int { modules.count }

    /// Per version (1...10), level L: error-correction codewords per block, and the blocks'
    /// data codeword counts.
    static let blocks: [(ec: Int, data: [Int])] = [
        (7, [19]), (10, [34]), (15, [55]), (20, [80]), (26, [108]),
        (18, [68, 68]), (20, [78, 78]), (24, [97, 97]), (30, [116, 116]), (18, [68, 68, 69, 69]),
    ]
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// nil when the text is too long for version 10.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard
            let version = (1...10).first(where: { v in
                let countBits = v < 10 ? 8 : 16
                return 4 + countBits + bytes.count * 8 <= Self.blocks[v - 1].data.reduce(0, +) * 8
            })
        else { return nil }
        let layout = Self.blocks[version - 1]
        let capacity = layout.data.reduce(0, +)

        // Data: mode 0100 (bytes), the count, the bytes, a terminator, padding.
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        append(0, min(4, capacity * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad: UInt8 = 0xEC
        while data.count < capacity {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        // Blocks, their Reed-Solomon codewords, interleaved.
        var blocks: [[UInt8]] = []
        var offset = 0
        for count in layout.data {
            blocks.append(Array(data[offset..<offset + count]))
            offset += count
        }
        let ec = blocks.map { ReedSolomon.remainder($0, degree: layout.ec) }
        var codewords: [UInt8] = []
        for i in 0..<(layout.data.max() ?? 0) { for b in blocks where i < b.count { codewords.append(b[i]) } }
        for i in 0..<layout.ec { for e in ec { codewords.append(e[i]) } }

        var grid = Grid(version: version)
        grid.placeFunctionPatterns(alignment: Self.alignment[version - 1])
        grid.placeData(codewords)
        let best = (0..<8).min { grid.masked($0).penalty < grid.masked($1).penalty } ?? 0
        modules = grid.masked(best).modules
    }

    /// Two rows per line with half blocks, black on white, with a quiet zone of `quiet` modules.
    public func halfBlockLines(quiet: Int = 2) -> [String] {
        let n = size + 2 * quiet
        func dark(_ x: Int, _ y: Int) -> Bool {
            let (mx, my) = (x - quiet, y - quiet)
            return mx >= 0 && my >= 0 && mx < size && my < size && modules[my][mx]
        }
        return stride(from: 0, to: n, by: 2).map { y in
            String(
                (0..<n).map { x -> Character in
                    switch (dark(x, y), y + 1 < n && dark(x, y + 1)) {
                    case (true, true): return "█"
                    case (true, false): return "▀"
                    case (false, true): return "▄"
                    case (false, false): return " "
                    }
                })
        }
    }
}

/// The module grid while it is built: which modules are function patterns, which data.
struct Grid {
    let version: Int
    let size: Int
    var modules: [[Bool]]
    var function: [[Bool]]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        modules = Array(repeating: Array(repeating: false, count: size), count: size)
        function = modules
    }

    mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y][x] = dark
        function[y][x] = true
    }

    mutating func placeFunctionPatterns(alignment: [Int]) {
        for i in 0..<size {
            set(6, i, i % 2 == 0)  // timing patterns
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let (x, y) = (cx + dx, cy + dy)
                    guard x >= 0, y >= 0, x < size, y < size else { continue }
                    let ring = max(abs(dx), abs(dy))
                    set(x, y, ring != 2 && ring != 4)
                }
            }
        }
        for cy in alignment {
            for cx in alignment {
                // Not over the finder patterns.
                if (cx == 6 && cy == 6) || (cx == 6 && cy == alignment.last) || (cx == alignment.last && cy == 6) { continue }
                for dy in -2...2 { for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) } }
            }
        }
        placeFormat(mask: 0)  // reserves the format areas; rewritten with the chosen mask
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let dark = (bits >> i) & 1 == 1
                let (a, b) = (size - 11 + i % 3, i / 3)
                set(a, b, dark)
                set(b, a, dark)
            }
        }
    }

    /// The 15 format bits (level L, the mask) in both copies, and the dark module.
    mutating func placeFormat(mask: Int) {
        let value = 0b01 << 3 | mask
        var rem = value
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (value << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    /// Codewords in the zigzag of column pairs, right to left, skipping the timing column.
    mutating func placeData(_ codewords: [UInt8]) {
        var index = 0
        let total = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                for dx in 0..<2 {
                    let x = right - dx
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - step : step
                    guard !function[y][x] else { continue }
                    if index < total {
                        modules[y][x] = (codewords[index >> 3] >> (7 - index & 7)) & 1 == 1
                        index += 1
                    }
                }
            }
            right -= 2
        }
    }

    func masked(_ mask: Int) -> (modules: [[Bool]], penalty: Int) {
        var grid = self
        for y in 0..<size {
            for x in 0..<size where !function[y][x] {
                let flip: Bool
                switch mask {
                case 0: flip = (x + y) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (x + y) % 3 == 0
                case 4: flip = (x / 3 + y / 2) % 2 == 0
                case 5: flip = x * y % 2 + x * y % 3 == 0
                case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { grid.modules[y][x].toggle() }
            }
        }
        grid.placeFormat(mask: mask)
        return (grid.modules, grid.penalty)
    }

    /// Rules 1 (runs of five or more), 2 (2x2 blocks) and 4 (dark/light balance) of the standard.
    var penalty: Int {
        var score = 0
        for line in [modules, (0..<size).map { x in (0..<size).map { y in modules[y][x] } }] {
            for row in line {
                var run = 1
                for i in 1..<size {
                    if row[i] == row[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += run - 2 }
                        run = 1
                    }
                }
                if run >= 5 { score += run - 2 }
            }
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1
            where modules[y][x] == modules[y][x + 1] && modules[y][x] == modules[y + 1][x] && modules[y][x] == modules[y + 1][x + 1] {
                score += 3
            }
        }
        let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
        score += abs(dark * 20 - size * size * 10) / (size * size) * 10
        return score
    }
}

/// Reed-Solomon error correction over GF(256) with the QR polynomial x^8+x^4+x^3+x^2+1.
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var (a, b, product) = (Int(a), Int(b), 0)
        while b > 0 {
            if b & 1 == 1 { product ^= a }
            a <<= 1
            if a & 0x100 != 0 { a ^= 0x11D }
            b >>= 1
        }
        return UInt8(product)
    }

    /// The generator polynomial (x - a^0)(x - a^1)...(x - a^(degree-1)), leading 1 left out.
    static func generator(_ degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                coefficients[j] = multiply(coefficients[j], root) ^ (j + 1 < degree ? coefficients[j + 1] : 0)
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
        let gen = generator(degree)
        var result = [UInt8](repeating: 0, count: degree)
        for b in data {
            let factor = b ^ result[0]
            result.removeFirst()
            result.append(0)
            for i in 0..<degree { result[i] ^= multiply(gen[i], factor) }
        }
        return result
    }
}
