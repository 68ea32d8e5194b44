import ArgumentParser
import LeappCore
import LeappSystem

/// `leapp secrets`: where the secrets live.
struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets", abstract: "Where leapp keeps its secrets: the Secret Service or the kernel keyring.",
        subcommands: [Store.self, Use.self])

    struct Store: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "store", abstract: "Print the store in use and why.")
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let choice = try context.secretStoreChoice.get()
            writeOut("\(choice.kind.rawValue)\t\(choice.reason)\n")
        }
    }

    struct Use: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "use",
            abstract: "Choose the store for every leapp of this user (the hook and credential_process too).",
            discussion:
                "auto: the Secret Service where a D-Bus session bus is, else the kernel keyring. LEAPP_SECRET_STORE overrides it. Records already stored stay where they are."
        )
        @Argument(help: "auto, secret-service or kernel.") var store: String
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
