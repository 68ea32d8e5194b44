import ArgumentParser
import LeappCore
import LeappSystem

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Manage named profiles (\"default\" always exists).",
        subcommands: [Create.self, Edit.self, Delete.self, List.self])

    struct Create: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Add a named profile.")
        @Argument var name: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            try context.configStore.update { config in
                try Validation.checkName(name, what: "profile")
                guard !config.profileNames.contains(name) else { throw LeappError(.validation, "profile \(name) already exists") }
                config.profiles.append(NamedProfile(id: newID(), name: name))
            }
            context.confirm("created profile \(name)")
        }
    }

    struct Edit: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Rename a named profile (its sessions follow).")
        @Argument(help: "The named profile.", completion: Completions.profiles) var profile: String
        @Option(help: "The new name.") var name: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let moved = try context.configStore.update { config -> [Session] in
                guard profile != "default" else { throw LeappError(.validation, "the default profile cannot be renamed") }
                guard config.profileNames.contains(profile) else { throw LeappError(.usage, "no profile \(Validation.printable(profile))") }
                try Validation.checkName(name, what: "profile")
                guard !config.profileNames.contains(name) else { throw LeappError(.validation, "profile \(name) already exists") }
                let before = config.sessions.filter { $0.profile == profile }
                config.ensureProfile(profile, id: newID)
                for i in config.profiles.indices where config.profiles[i].name == profile { config.profiles[i].name = name }
                for i in config.sessions.indices where config.sessions[i].profile == profile { config.sessions[i].profile = name }
                return before
            }
            for s in moved { try context.profileWriter.clear(s) }
            context.confirm(
                "renamed profile \(profile) to \(name)" + (moved.isEmpty ? "" : "; start its active sessions again to fill it") + "")
        }
    }

    struct Delete: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete a named profile (its sessions move to default with --force).")
        @Argument(help: "The named profile.", completion: Completions.profiles) var profile: String
        @Flag(help: "Move the sessions that use it to the default profile.") var force = false
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let moved = try context.configStore.update { config -> [Session] in
                guard profile != "default" else { throw LeappError(.validation, "the default profile cannot be deleted") }
                guard config.profileNames.contains(profile) else { throw LeappError(.usage, "no profile \(Validation.printable(profile))") }
                let users = config.sessions.filter { $0.profile == profile }
                if !users.isEmpty && !force {
                    throw LeappError(
                        .validation, "profile \(profile) is used by " + users.map(\.alias).joined(separator: ", "),
                        hint: "pass --force to move them to the default profile")
                }
                config.profiles.removeAll { $0.name == profile }
                for i in config.sessions.indices where config.sessions[i].profile == profile { config.sessions[i].profile = "default" }
                return users
            }
            for s in moved { try context.profileWriter.clear(s) }
            context.confirm("deleted profile \(profile)")
        }
    }

    struct List: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List named profiles and the sessions using them.")
        @OptionGroup var list: ListOptions
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            let config = try global.apply(to: context).loadConfig()
            let table = ListTable(
                columns: [
                    ListColumn(key: "name", header: "PROFILE", aliases: ["profile"]), ListColumn(key: "sessions", header: "SESSIONS"),
                ],
                rows: config.profileNames.map { name in
                    ["name": .string(name), "sessions": .array(config.sessions.filter { $0.profile == name }.map { .string($0.alias) })]
                },
                empty: "no profiles")
            context.write(try table.render(list))
        }
    }
}

struct RegionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region", abstract: "The default region for new sessions.",
        subcommands: [GetDefault.self, SetDefault.self])

    struct GetDefault: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "get-default")
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws { context.write(try global.apply(to: context).loadConfig().defaultRegion + "\n") }
    }

    struct SetDefault: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "set-default")
        @Argument(help: "The region.", completion: Completions.regions) var region: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            global.apply(to: context)
            guard Partition.allCases.contains(where: { $0.regions.contains(region) }) else {
                throw LeappError(.validation, "unknown region '\(Validation.printable(region))'")
            }
            try context.configStore.update { $0.defaultRegion = region }
            context.confirm("default region is now \(region)")
        }
    }
}
