import ArgumentParser
import LeappCore
import LeappSystem

/// `leapp secrets`: where the secrets live.
struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Where leapp keeps its secrets: the Secret Service or the kernel keyring.",
        subcommands: [Store.self, Use.self, List.self, Unlock.self, Migrate.self])

    struct Store: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "store", abstract: "Print the store in use and why.")
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let choice = try context.secretStoreChoice.get()
            context.write("\(choice.kind.rawValue)\t\(choice.reason)\n")
        }
    }

    struct Use: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "use",
            abstract: "Choose the store for every leapp of this user (the hook and credential_process too).",
            discussion:
                "auto: the Secret Service where a D-Bus session bus is, else the kernel keyring. LEAPP_SECRET_STORE overrides it. Records already stored stay where they are."
        )
        @Argument(help: "auto, secret-service, kernel or file.") var store: String
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard SecretStoreChoice.names.contains(store) else {
                throw ValidationError("choose one of \(SecretStoreChoice.names.joined(separator: ", "))")
            }
        }

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            try context.configStore.update { $0.secretStore = store == "auto" ? nil : store }
            context.confirm("secrets: \(store) from now on")
        }
    }
}

extension SecretsCommand {
    struct List: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "What the store holds: kinds and names, never values.")
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let config = try context.loadConfig()
            func name(_ kind: SecretKind, _ key: String) -> String {
                if let s = config.sessions.first(where: { $0.id == key }) { return "session \(s.alias)" }
                if let i = config.idpUrls.first(where: { $0.id == key }) { return "IdP URL \(i.name)" }
                return kind == .fileKey ? "the secret file's key" : "(none)"
            }
            let rows = try context.secrets.list().sorted { ($0.0.rawValue, $0.1) < ($1.0.rawValue, $1.1) }
            context.write(renderTable(["KIND", "KEY", "OF"], rows.map { [$0.0.rawValue, $0.1, name($0.0, $0.1)] }))
        }
    }

    struct Unlock: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Ask the secret file's passphrase now; its key stays in the kernel keyring until reboot.")
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            guard try context.fileStore.unlock() else {
                throw LeappError(.usage, "there is no secret file yet", hint: "`leapp secrets use file`, then start a session")
            }
            context.confirm("the secret file is unlocked until reboot")
        }
    }

    /// Copies every record, reads each back, then switches the setting, then deletes the old
    /// ones: a kill at any point leaves every record readable in the store in use.
    struct Migrate: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Move every record to another store, and use it from now on.")
        @Option(help: "secret-service, kernel or file.") var to: String
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard SecretStoreChoice.Kind(rawValue: to) != nil else {
                throw ValidationError("choose one of \(SecretStoreChoice.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let from = try context.secretStoreChoice.get().kind
            guard let target = SecretStoreChoice.Kind(rawValue: to), target != from else {
                context.confirm("the secrets are already in the \(from.description)")
                return
            }
            let source = context.secrets
            let destination = context.makeStore(target)
            try destination.checkWritable()
            var moved: [(SecretKind, String)] = []
            for (kind, key) in try source.list() where kind != .fileKey {
                guard let value = try source.lookup(kind, key: key) else { continue }
                try destination.store(kind, key: key, label: "leapp \(kind.rawValue) \(key)", secret: value)
                guard try destination.lookup(kind, key: key) == value else {
                    throw LeappError(
                        .keyring, "the \(target.description) did not give back the \(kind.rawValue) record it took",
                        hint: "nothing was removed from the \(from.description); the secrets stay there")
                }
                moved.append((kind, key))
            }
            try context.configStore.update { $0.secretStore = target.rawValue }
            var left = 0
            for (kind, key) in moved { if (try? source.delete(kind, key: key)) == nil { left += 1 } }
            context.confirm("moved \(moved.count) record(s) from the \(from.description) to the \(target.description)")
            if left > 0 { context.note("leapp: \(left) record(s) could not be removed from the \(from.description)") }
            if let forced = context.environment["LEAPP_SECRET_STORE"], !forced.isEmpty, forced != "auto" {
                context.note("leapp: LEAPP_SECRET_STORE=\(forced) still overrides the setting in this shell")
            }
        }
    }
}

/// `leapp lock`: forget the credentials cached in the kernel keyring, so that a locked Secret
/// Service hides them again (the sessions stay started: the next use reads the keyring).
struct Lock: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Drop the credentials cached in the kernel keyring (a locked keyring then hides them again).")
    @OptionGroup var global: GlobalOptions
    func run(_ context: AppContext) throws {
        global.apply(to: context)
        let dropped = try context.credentialCache.removeAll()
        context.confirm("dropped \(dropped) cached credential(s) from the kernel keyring")
    }
}
