/// Which secret store leapp uses, and why: `LEAPP_SECRET_STORE` (`auto`, `secret-service`,
/// `kernel`), else the configuration's `secretStore`, else `auto`. `auto` takes the Secret
/// Service when a session bus is there (`DBUS_SESSION_BUS_ADDRESS`, or a systemd user
/// session's socket at `$XDG_RUNTIME_DIR/bus`), else the kernel keyring: over SSH, in WSL, a
/// container or CI there is no bus, and leapp still works. Deciding costs no D-Bus round trip.
public struct SecretStoreChoice: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable, CustomStringConvertible {
        case secretService = "secret-service"
        case kernel
        case file

        public var description: String {
            switch self {
            case .secretService: return "Secret Service"
            case .kernel: return "kernel keyring"
            case .file: return "encrypted file"
            }
        }
    }

    public let kind: Kind
    /// Why, for `leapp doctor` and `--verbose`.
    public let reason: String

    public static let names = ["auto"] + Kind.allCases.map(\.rawValue)

    /// - Parameters:
    ///   - configured: the configuration file's setting, if any.
    ///   - isSocket: whether a path is a socket (the bus at `$XDG_RUNTIME_DIR/bus`).
    public static func resolve(_ environment: [String: String], configured: String?, isSocket: (String) -> Bool) throws
        -> SecretStoreChoice
    {
        let fromEnvironment = environment["LEAPP_SECRET_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        let wanted = fromEnvironment ?? configured ?? "auto"
        let source = fromEnvironment != nil ? "LEAPP_SECRET_STORE" : configured != nil ? "the configuration" : nil
        if wanted != "auto" {
            guard let kind = Kind(rawValue: wanted) else {
                throw LeappError(
                    .config, "unknown secret store '\(Validation.printable(wanted))' (from \(source ?? "the configuration"))",
                    hint: "choose one of \(names.joined(separator: ", "))")
            }
            return SecretStoreChoice(kind: kind, reason: "chosen by \(source ?? "the configuration")")
        }
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty {
            return SecretStoreChoice(kind: .secretService, reason: "a D-Bus session bus is set (DBUS_SESSION_BUS_ADDRESS)")
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isSocket(runtime + "/bus") {
            return SecretStoreChoice(kind: .secretService, reason: "a D-Bus session bus is at $XDG_RUNTIME_DIR/bus")
        }
        return SecretStoreChoice(kind: .kernel, reason: "no D-Bus session bus here (SSH, WSL, a container, CI)")
    }
}
