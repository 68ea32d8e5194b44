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

    /// Where a D-Bus session bus was found.
    public enum SessionBus: Sendable {
        /// `DBUS_SESSION_BUS_ADDRESS` is set.
        case address
        /// A socket at `$XDG_RUNTIME_DIR/bus` (the address unset).
        case runtimeSocket
    }

    /// - Parameters:
    ///   - requested: the store asked for this run (`LEAPP_SECRET_STORE`), if any.
    ///   - configured: the configuration file's setting, if any.
    ///   - bus: the session bus found, if any.
    public static func resolve(requested: String?, configured: String?, bus: SessionBus?) throws -> SecretStoreChoice {
        let fromEnvironment = requested.flatMap { $0.isEmpty ? nil : $0 }
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
        switch bus {
        case .address: return SecretStoreChoice(kind: .secretService, reason: "a D-Bus session bus is set (DBUS_SESSION_BUS_ADDRESS)")
        case .runtimeSocket: return SecretStoreChoice(kind: .secretService, reason: "a D-Bus session bus is at $XDG_RUNTIME_DIR/bus")
        case nil: break
        }
        return SecretStoreChoice(kind: .kernel, reason: "no D-Bus session bus here (SSH, WSL, a container, CI)")
    }
}
