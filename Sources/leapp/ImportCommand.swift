import ArgumentParser
import LeappCore
import LeappSystem

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import configuration from other tools.", subcommands: [LeappWorkspace.self])

    struct LeappWorkspace: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "leapp-workspace",
            abstract: "Import the federated sessions, IdP URLs and named profiles of a Leapp desktop workspace.",
            discussion:
                "Reads ~/.Leapp/Leapp-lock.json (encrypted under this machine's id, as Leapp does). Nothing is written on any error.")
        @Argument(help: "The workspace file (default: ~/.Leapp/Leapp-lock.json).") var path: String?
        @Flag(help: "Show what would change, change nothing.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let file = path ?? context.home + "/.Leapp/Leapp-lock.json"
            guard let bytes = try context.fs.read(file) else { throw LeappError(.file, "no Leapp workspace at \(file)") }
            let doc = try LeappWorkspaceImport.decrypt(String(decoding: bytes, as: UTF8.self), machineID: machineID(context))
            var preview = try context.loadConfig()
            let planned = try LeappWorkspaceImport.plan(doc, into: &preview, newID: newID)
            if !dryRun {
                try context.configStore.update { config in
                    _ = try LeappWorkspaceImport.plan(doc, into: &config, newID: newID)
                }
            }
            let verb = dryRun ? "would add" : "added"
            for idp in planned.newIdPURLs { context.confirm("\(verb) IdP URL \(idp.name) (\(idp.provider.rawValue)): \(idp.url)") }
            for p in planned.newProfiles { context.confirm("\(verb) profile \(p)") }
            for s in planned.newSessions { context.confirm("\(verb) session \(s.alias) (profile \(s.profile), \(s.region), \(s.roleArn))") }
            for s in planned.skipped { context.confirm("skipped \(s)") }
            if planned.newSessions.isEmpty && planned.newIdPURLs.isEmpty && planned.newProfiles.isEmpty {
                context.confirm("nothing to import")
            }
        }

        /// What node-machine-id reads on Linux: the D-Bus machine id, then /etc/machine-id, then the host name.
        func machineID(_ context: AppContext) throws -> String {
            if let override = context.environment["LEAPP_MACHINE_ID_FILE"], let bytes = try context.fs.read(override) {
                return String(decoding: bytes, as: UTF8.self)
            }
            for path in ["/var/lib/dbus/machine-id", "/etc/machine-id", "/etc/hostname"] {
                if let bytes = try? context.fs.read(path), let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first {
                    return String(line)
                }
            }
            throw LeappError(.file, "cannot read this machine's id (/etc/machine-id)")
        }
    }
}
