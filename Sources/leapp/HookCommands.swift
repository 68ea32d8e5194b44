import ArgumentParser
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

struct Hook: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Print the shell hook: eval \"$(leapp hook bash)\", eval \"$(leapp hook zsh)\", leapp hook fish | source.")
    @Argument(help: "bash, zsh or fish.", completion: Completions.hookShells) var shell: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        _ = global.apply(to: context)
        guard let script = Self.script(for: shell) else {
            throw LeappError(
                .usage, "no hook for shell '\(Validation.printable(shell))'", hint: "use " + Shells.spoken)
        }
        context.write(script)
    }

    /// The hook scripts compiled in (Package.swift embeds Hooks/leapp.NAME), by shell name.
    static let scripts: [String: [UInt8]] = [
        "bash": PackageResources.leapp_bash, "zsh": PackageResources.leapp_zsh, "fish": PackageResources.leapp_fish,
    ]

    static func script(for shell: String) -> String? {
        guard Shells.named(shell) != nil, let bytes = scripts[shell] else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Finds the marker an allow/deny argument means: a file, a directory holding one, or the
/// nearest from cwd. The marker itself is never followed (see AllowList).
func markerPath(_ argument: String?, _ context: AppContext) throws -> String {
    let list = AllowList(dataDirectory: context.dataDirectory, fs: context.fs)
    if let argument {
        let info = context.fs.inspect(argument)
        if info.kind == .directory { return list.markerPath((info.target ?? argument) + "/" + AllowList.markerName) }
        guard info.kind != .missing else {
            throw LeappError(.file, "no such file or directory: \(Validation.printable(argument, limit: 1024))")
        }
        return list.markerPath(argument)
    }
    let cwd = context.fs.realPath(".") ?? "."
    guard let found = list.find(from: cwd) else {
        throw LeappError(.file, "no \(AllowList.markerName) in \(Validation.printable(cwd, limit: 1024)) or above")
    }
    return found
}

struct Allow: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "allow",
        abstract: "Trust a .leapp-session file so the hook may activate the session it names.")
    @Argument(help: "The file or its directory (default: the nearest one from here).") var path: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        let list = AllowList(dataDirectory: context.dataDirectory, fs: context.fs)
        let marker = try list.read(markerPath(path, context))
        try list.allow(real: marker.real, content: marker.content)
        var note = ""
        if let config = try? context.loadConfig(), !config.sessions.contains(where: { $0.alias == marker.alias }) {
            note = " (no such session yet: add it with `leapp session add --alias \(marker.alias) ...`)"
        }
        context.note("leapp: allowed \(Validation.printable(marker.real, limit: 1024)) to activate session \(marker.alias)\(note)")
    }
}

struct Deny: LeappCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Revoke trust in a .leapp-session file.")
    @Argument(help: "The file or its directory (default: the nearest one from here).") var path: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        let list = AllowList(dataDirectory: context.dataDirectory, fs: context.fs)
        let real = try markerPath(self.path, context)
        let removed = try list.deny(real: real)
        context.note("leapp: \(removed ? "denied" : "was not allowed:") \(Validation.printable(real, limit: 1024))")
    }
}

/// Called by the shell hooks, never by people: prints the code that activates or refreshes
/// a session, or nothing (with one line on stderr) when nothing may be activated.
struct HookEnv: LeappCommand {
    static let configuration = CommandConfiguration(commandName: "hook-env", shouldDisplay: false)
    @Option var shell: ExportFormat
    @Option var marker: String?
    @Option var session: String?
    @Flag var refresh = false
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        Self.run(shell: shell, marker: marker, session: session, refresh: refresh, global.apply(to: context))
    }

    static func run(shell: ExportFormat, marker: String?, session: String?, refresh: Bool, _ context: AppContext) {
        context.allowPrompts = false  // never prompt inside a hook
        do {
            try activate(shell: shell, marker: marker, session: session, refresh: refresh, context)
        } catch let error as LeappError {
            context.error(Style.errorLine(error))
        } catch {
            context.error(Style.errorLine(error))
        }
    }

    static func activate(shell: ExportFormat, marker: String?, session: String?, refresh: Bool, _ context: AppContext) throws {
        var alias = session ?? ""
        var directory = ""
        if let marker {
            let list = AllowList(dataDirectory: context.dataDirectory, fs: context.fs)
            let file = try list.read(marker)
            directory = String(file.real[..<(file.real.lastIndex(of: "/") ?? file.real.endIndex)])
            guard try list.isAllowed(real: file.real, content: file.content) else {
                // Nothing of an un-allowed file's content is shown: it may be anything.
                let dir = directory.isEmpty ? "/" : directory
                context.note(
                    "leapp: \(Validation.printable(file.real, limit: 1024)) is not allowed; review it, then run `leapp allow \(Validation.printable(ShellQuoting.posix(dir), limit: 1024))`"
                )
                return
            }
            alias = file.alias
        }
        let config = try context.loadConfig()
        guard let s = config.sessions.first(where: { $0.alias == alias }) else {
            throw LeappError(
                .usage, "no session '\(Validation.printable(alias))'\(marker.map { " (named by \($0))" } ?? "")",
                hint: "see `leapp session list`")
        }
        // Whatever stops a refresh here, what still works serves; the hook looks again in at
        // most 5 minutes instead of at every prompt.
        let (credentials, failure): (AWSCredentials, LeappError?)
        do {
            (credentials, failure) = try context.credentials(for: s, in: config, servingStaleOn: { _ in true })
        } catch let error as LeappError where error.kind == .needsUser {
            // The person is at this prompt, but the hook cannot ask: say what to run.
            throw LeappError(
                .needsUser, "\(s.alias) needs you to log in again, and the prompt hook never asks",
                hint: "run `leapp session start \(s.alias)`")
        }
        let now = context.clock.now
        let due = failure.map { _ in now.addingTimeInterval(min(300, max(30, credentials.expiration.timeIntervalSince(now)))) }
        let env = SessionEnvironment(alias: s.alias, roleArn: s.roleArn, region: s.region, credentials: credentials)
        // Entering a tree, the hook first saves what the activation replaces (the list is leapp's, not the hook's).
        let save = marker != nil ? shell.dialect?.saveBeforeActivation(SessionEnvironment.managedVariables) ?? "" : ""
        context.write(save + env.render(shell) + HookState.render(shell, expiration: credentials.expiration, context: context, due: due))
        if marker != nil && !refresh {
            context.note(
                "leapp: activated \(s.alias) (\(s.roleArn)) for \(Validation.printable(directory.isEmpty ? "/" : directory, limit: 1024))"
            )
        }
    }
}
