/// Quotes values so that the shell reads back exactly the same bytes.
public enum ShellQuoting {
    private static let bare = ASCIISet(String.asciiLetters + String.asciiDigits + "_,./-:@+=")

    /// One word as Python's `shlex.split` reads it (how the AWS CLI splits
    /// `credential_process`): bare when only safe characters, else single quotes, with a
    /// single quote written `'"'"'`.
    public static func shlex(_ value: String) -> String {
        let bytes = Array(value.utf8)
        if !bytes.isEmpty, value.consists(of: bare) { return value }
        return "'" + value.replacing("'", with: "'\"'\"'") + "'"
    }

    /// bash and zsh: bare when only safe characters; single quotes when printable;
    /// `$'...'` with escapes when the value holds control characters.
    public static func posix(_ value: String) -> String {
        let bytes = Array(value.utf8)
        if !bytes.isEmpty, value.consists(of: bare), bytes[0] != UInt8(ascii: "=") { return value }
        if !bytes.contains(where: isControl) {
            return "'" + value.replacing("'", with: "'\\''") + "'"
        }
        var out: [UInt8] = Array("$'".utf8)
        for b in bytes {
            switch b {
            case 0x5C: out += Array("\\\\".utf8)
            case 0x27: out += Array("\\'".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x0D: out += Array("\\r".utf8)
            default: out += isControl(b) ? Array(("\\x" + FormEncoding.hex(b)).utf8) : [b]
            }
        }
        return String(decoding: out + [0x27], as: UTF8.self)
    }

    /// fish: single quotes escaping only `\` and `'`; control characters outside the quotes.
    public static func fish(_ value: String) -> String {
        if value.isEmpty { return "''" }
        var out = ""
        var quoted = false
        for scalar in value.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                if quoted {
                    out += "'"
                    quoted = false
                }
                out += "\\x" + FormEncoding.hex(UInt8(scalar.value))
            } else {
                if !quoted {
                    out += "'"
                    quoted = true
                }
                if scalar == "\\" || scalar == "'" { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        if quoted { out += "'" }
        return out
    }

    /// dotenv: double quotes with backslash escapes.
    public static func dotenv(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "$": out += "\\$"
            case "`": out += "\\`"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }
}
