import ArgumentParser
import LeappCore

/// "Did you mean" for a mistyped command or flag: the nearest name the command that was
/// reached knows, when it is close enough to be what was meant.
enum DidYouMean {
    static func suggestion(forMessage message: String, args: [String]) -> String? {
        guard let open = message.firstIndex(of: "'"), let close = message[message.index(after: open)...].firstIndex(of: "'") else {
            return nil
        }
        let word = String(message[message.index(after: open)..<close])
        guard !word.isEmpty else { return nil }
        var command: ParsableCommand.Type = Leapp.self
        for arg in args where !arg.hasPrefix("-") {
            guard let sub = command.configuration.subcommands.first(where: { name(of: $0) == arg }) else { break }
            command = sub
        }
        let candidates: [String]
        if word.hasPrefix("-") {
            candidates = flags(in: Leapp.helpMessage(for: command, columns: 200))
        } else {
            candidates = command.configuration.subcommands.map(name(of:)).filter { $0 != "hook-env" }
        }
        return Nearest.word(word.lowercased(), in: candidates)
    }

    /// The first word that is not a subcommand of the command reached, where that command
    /// takes subcommands only (`leapp session strt dev`): nil when the words are arguments.
    static func unknownCommand(args: [String]) -> String? {
        var command: ParsableCommand.Type = Leapp.self
        for arg in args where !arg.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            guard let sub = subcommands.first(where: { name(of: $0) == arg }) else { return arg }
            command = sub
        }
        return nil
    }

    static func name(of command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    /// The long flags a help text lists.
    static func flags(in help: String) -> [String] {
        var found: [String] = []
        var current = ""
        for c in help + " " {
            if c == "-" || (!current.isEmpty && (c.isLetter || c.isNumber)) {
                current.append(c)
            } else {
                if current.hasPrefix("--"), current.count > 2 { found.append(current) }
                current = ""
            }
        }
        return Array(Set(found)).sorted()
    }
}
