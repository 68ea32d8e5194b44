/// Fills and clears a named profile in the AWS CLI's files: `~/.aws/credentials`
/// (`AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config` (`AWS_CONFIG_FILE`).
///
/// The files are the user's. leapp records what it writes in a ledger (`ProfileLedger`),
/// removes only that, and never silently takes over a profile that holds the user's own
/// credential entries: it refuses, unless the session says `--take-over`, in which case
/// the user's section is saved in the keyring first and put back byte for byte at stop.
/// Only regular files are written (`/dev/null` means "no file": leapp writes nothing
/// there); every other byte is kept; all edits of one fill or clear happen under one lock
/// and are rolled back together when a step fails.
public struct ProfileWriter {
    public let fs: FileSystem
    public let secrets: SecretStore
    public let credentialsPath: String
    public let configPath: String
    /// How the AWS CLI should run leapp for `credential_process` (already quoted for it).
    public let leappCommand: String
    /// leapp's own state directory: the ledger and the lock live here, not in `~/.aws`.
    public let stateDirectory: String
    public var notice: (String) -> Void = { _ in }

    static let credentialKeys = [
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
        "x_security_token_expires", "x_principal_arn",
    ]

    public init(
        fs: FileSystem, secrets: SecretStore, home: String, leappCommand: String, stateDirectory: String,
        credentialsFile: String? = nil, configFile: String? = nil
    ) {
        /// The AWS CLI's own setting (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`), `~/` expanded.
        func path(_ given: String?, _ fallback: String) -> String {
            guard let v = given, !v.isEmpty else { return home + "/.aws/" + fallback }
            return v.hasPrefix("~/") ? home + v.dropFirst() : v
        }
        self.fs = fs
        self.secrets = secrets
        self.credentialsPath = path(credentialsFile, "credentials")
        self.configPath = path(configFile, "config")
        self.leappCommand = leappCommand
        self.stateDirectory = stateDirectory
    }

    public var ledgerPath: String { stateDirectory + "/profiles.json" }

    static func configSection(_ profile: String) -> String { profile == "default" ? "default" : "profile \(profile)" }

    /// Config keys that decide which credentials a profile gets (or that leapp sets): one
    /// of these written by the user means the profile is the user's.
    static func isCredentialKey(inConfig key: String) -> Bool {
        let k = key.lowercased()
        return k == "region" || k == "credential_process" || k == "role_arn" || k == "source_profile"
            || k == "credential_source" || k == "web_identity_token_file" || k == "role_session_name"
            || k.hasPrefix("sso_") || k.hasPrefix("aws_") || k == "x_principal_arn" || k == "x_security_token_expires"
    }

    // MARK: Plan

    /// One section leapp writes (or must keep free of the user's credentials).
    struct Target {
        var file: String
        var section: String
        var pairs: [(String, String)]
        var isConflicting: (String) -> Bool
        var variable: String
    }

    func targets(_ session: Session, _ credentials: AWSCredentials?) -> [Target] {
        let config = Target(
            file: configPath, section: Self.configSection(session.profile), pairs: [("region", session.region)],
            isConflicting: Self.isCredentialKey(inConfig:), variable: "AWS_CONFIG_FILE")
        var creds = Target(
            file: credentialsPath, section: session.profile, pairs: [], isConflicting: { _ in true },
            variable: "AWS_SHARED_CREDENTIALS_FILE")
        switch session.output {
        case .credentialsFile:
            if let c = credentials {
                creds.pairs = [
                    ("aws_access_key_id", c.accessKeyId), ("aws_secret_access_key", c.secretAccessKey),
                    ("aws_session_token", c.sessionToken), ("x_security_token_expires", RFC3339.format(c.expiration)),
                    ("x_principal_arn", c.assumedRoleArn ?? session.roleArn),
                ]
            }
            return [creds, config]
        case .credentialProcess:
            var withProcess = config
            withProcess.pairs.append(("credential_process", "\(leappCommand) credential-process \(session.alias)"))
            return [withProcess, creds]
        }
    }

    /// The user's entries (not leapp's) in a section that would decide the profile's credentials.
    func foreignKeys(_ ini: INIDocument, _ t: Target, _ ledger: ProfileLedger) -> [String] {
        let record = ledger.record(t.file, t.section)
        let legacy = record == nil ? legacyKeys(ini, t) : [:]
        return ini.entries(in: t.section).filter { entry in
            t.isConflicting(entry.key) && !Self.isLeapps(entry.key, entry.value, record, legacy: legacy)
        }.map(\.key)
    }

    /// Whether an entry is leapp's: as the ledger's record says, or (no record) as an earlier
    /// leapp wrote it (`legacyKeys`).
    static func isLeapps(_ key: String, _ value: String, _ record: ProfileLedger.Record?, legacy: [String: String]) -> Bool {
        record?.owns(key, value: value) ?? (legacy[key] == ProfileLedger.hash(value))
    }

    /// Entries an earlier leapp (before the ledger) wrote: adopted as leapp's.
    func legacyKeys(_ ini: INIDocument, _ t: Target) -> [String: String] {
        let entries = ini.entries(in: t.section)
        var owned: [String: String] = [:]
        if t.file == credentialsPath {
            guard entries.contains(where: { $0.key == "x_principal_arn" }) else { return [:] }
            for e in entries where Self.credentialKeys.contains(e.key) { owned[e.key] = ProfileLedger.hash(e.value) }
        } else if let process = entries.first(where: { $0.key == "credential_process" }),
            process.value.hasPrefix(leappCommand + " credential-process ")
        {
            for e in entries where e.key == "credential_process" || e.key == "region" { owned[e.key] = ProfileLedger.hash(e.value) }
        }
        return owned
    }

    /// What stands in the way of filling this session's profile without taking it over.
    public func conflicts(_ session: Session) throws -> [ProfileConflict] {
        let ledger = try loadLedger()
        return try targets(session, nil).compactMap { t in
            guard let bytes = try readTarget(t) ?? nil else { return nil }
            let keys = foreignKeys(INIDocument(bytes), t, ledger)
            return keys.isEmpty ? nil : ProfileConflict(profile: session.profile, file: t.file, section: t.section, keys: keys)
        }
    }

    /// Whether this session has entries in the AWS files now.
    public func owns(_ session: Session) throws -> Bool { !(try loadLedger().owned(by: session.id).isEmpty) }

    // MARK: Fill and clear

    /// Writes what a started session's mode asks for, taking the profile over from other
    /// leapp sessions; the user's own entries only with `session.takeOver`.
    public func fill(_ session: Session, credentials: AWSCredentials?) throws {
        if session.output == .credentialsFile, let c = credentials { try Self.checkWritable(c) }
        try withState { ledger, files in
            for t in targets(session, credentials) {
                guard let original = try readTarget(t) else { continue }  // /dev/null: nothing to write
                let info = fs.inspect(t.file)
                if t.file == credentialsPath, !t.pairs.isEmpty, info.kind == .regular, info.mode & 0o077 != 0 {
                    // Its mode is the user's to set; say what it means for the keys.
                    notice(
                        "leapp: warning: \(Validation.printable(t.file)) is readable by other users (mode \(String(info.mode, radix: 8))); `chmod 600` it to keep the keys private"
                    )
                }
                var ini = INIDocument(files[t.file] ?? original ?? [])
                let record = ledger.record(t.file, t.section)
                let owned = record?.keys ?? legacyKeys(ini, t)
                let foreign = foreignKeys(ini, t, ledger)
                var saved = record?.savedOriginal ?? false
                if !foreign.isEmpty {
                    guard session.takeOver else {
                        throw ProfileConflict(profile: session.profile, file: t.file, section: t.section, keys: foreign).error(session)
                    }
                    if !saved, let bytes = ini.sectionBytes(t.section) {
                        try secrets.store(
                            .profileBackup, key: ProfileLedger.Record(file: t.file, section: t.section, session: "").backupKey,
                            label: "leapp saved profile \(session.profile) (\(t.file))",
                            secret: Base64.encode(bytes))
                        saved = true
                    }
                    ini.remove(Set(foreign), from: t.section)
                }
                // leapp's own entries this mode does not write (another session's, another mode's) go.
                let pendingKeys: [String] = record?.pending.map { Array($0.keys) } ?? []
                let stale = Set(owned.keys).union(pendingKeys).subtracting(t.pairs.map(\.0))
                ini.remove(
                    stale.filter { k in
                        ini.value(k, in: t.section).map { v in Self.isLeapps(k, v, record, legacy: owned) } ?? false
                    }, from: t.section)
                var created = record?.created
                if !t.pairs.isEmpty {
                    if let appended = ini.set(t.pairs, in: t.section) { created = appended }
                } else if ini.isEmpty(t.section), let appended = created, !saved {
                    // A section leapp added and no longer needs. A taken-over one keeps its
                    // header, so the saved bytes go back in the same place.
                    ini.removeSection(t.section, appended: appended)
                    created = nil
                }
                files[t.file] = ini.bytes
                if t.pairs.isEmpty && !saved {
                    ledger.drop(t.file, t.section)
                } else {
                    ledger.put(
                        ProfileLedger.Record(
                            file: t.file, section: t.section, session: session.id,
                            keys: Dictionary(t.pairs.map { ($0.0, ProfileLedger.hash($0.1)) }, uniquingKeysWith: { a, _ in a }),
                            created: created, savedOriginal: saved))
                }
            }
        }
    }

    /// Removes what this session wrote, and puts back what it took over. Entries of other
    /// sessions, and values the user edited since, stay.
    public func clear(_ session: Session) throws {
        var restored: [String] = []
        try withState { ledger, files in
            for record in ledger.owned(by: session.id) {
                let t = Target(file: record.file, section: record.section, pairs: [], isConflicting: { _ in false }, variable: "")
                guard let original = try readTarget(t) else {
                    ledger.drop(record.file, record.section)
                    continue
                }
                var ini = INIDocument(files[record.file] ?? original ?? [])
                let pendingKeys: [String] = record.pending.map { Array($0.keys) } ?? []
                let candidates = Set(record.keys.keys).union(pendingKeys)
                let mine = candidates.filter { k in ini.value(k, in: record.section).map { record.owns(k, value: $0) } ?? false }
                if record.savedOriginal, let text = try secrets.lookup(.profileBackup, key: record.backupKey),
                    let saved = Base64.decode(text)
                {
                    ini.restoreSection(record.section, bytes: saved)
                    restored.append(record.backupKey)
                } else {
                    if record.savedOriginal {
                        notice(
                            "leapp: the saved copy of [\(record.section)] in \(record.file) is gone from the keyring; removing leapp's entries only"
                        )
                    }
                    ini.remove(mine, from: record.section)
                    if let created = record.created, ini.isEmpty(record.section) { ini.removeSection(record.section, appended: created) }
                }
                files[record.file] = ini.bytes
                ledger.drop(record.file, record.section)
            }
        }
        for key in restored { try secrets.delete(.profileBackup, key: key) }
    }

    // MARK: Files

    /// The bytes of a target file: nil (outer) for `/dev/null`, which leapp leaves alone;
    /// nil (inner) when the file does not exist yet. Anything but a regular file, a dangling
    /// link or a file leapp may not replace is an error naming the file.
    func readTarget(_ t: Target) throws -> [UInt8]?? {
        let info = fs.inspect(t.file)
        let name = Validation.printable(t.file)
        let via = t.variable.isEmpty ? "" : " (\(t.variable))"
        switch info.kind {
        case .missing:
            return .some(nil)
        case .regular:
            return .some(try fs.read(t.file))
        case .danglingLink:
            throw LeappError(
                .file, "\(name) is a symbolic link to a file that does not exist; leapp does not replace the link",
                hint: "create the file it points to, or remove the link")
        case .device where info.isNullDevice:
            notice("leapp: \(name)\(via) is /dev/null: leapp writes nothing there")
            return nil
        default:
            throw LeappError(
                .file, "\(name)\(via) is a \(info.kind.rawValue), not a regular file; leapp writes only regular files",
                hint: "point \(t.variable.isEmpty ? "it" : t.variable) at a regular file (or /dev/null for none)")
        }
    }

    /// Runs a change of the ledger and the files under one lock, then writes the changed
    /// files and the ledger; if any write fails, the files already written get their old bytes back.
    private func withState(_ change: (inout ProfileLedger, inout [String: [UInt8]]) throws -> Void) throws {
        try fs.createDirectory(stateDirectory + "/locks", mode: 0o700)
        try fs.withLock(stateDirectory + "/locks/aws-files") {
            var ledger = try loadLedger()
            let before = ledger
            var files: [String: [UInt8]] = [:]
            try change(&ledger, &files)
            var written: [(String, [UInt8]?)] = []
            let changed = ledger != before
            do {
                // The journal first: whatever of the files a kill leaves written, the ledger
                // on disk recognises leapp's entries in them.
                if changed { try saveLedger(ProfileLedger.journal(from: before, to: ledger)) }
                for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
                    let old = try fs.read(path)
                    if old == bytes || (old == nil && bytes.isEmpty) { continue }
                    let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
                    if !dir.isEmpty && !fs.exists(dir) { try fs.createDirectory(dir, mode: 0o700) }
                    try fs.writeAtomically(path, bytes, mode: 0o600)
                    written.append((path, old))
                }
                if changed { try saveLedger(ledger) }
            } catch {
                for (path, old) in written.reversed() {
                    if let old { try? fs.writeAtomically(path, old, mode: 0o600) } else { try? fs.remove(path) }
                }
                if changed { try? saveLedger(before) }
                throw error
            }
        }
    }

    public func loadLedger() throws -> ProfileLedger {
        guard let bytes = try fs.read(ledgerPath) else { return ProfileLedger() }
        guard let ledger = try? JSONDecoder().decode(ProfileLedger.self, from: Data(bytes)) else {
            throw LeappError(.config, "cannot read \(ledgerPath)", hint: "leapp left it untouched; fix it or move it aside")
        }
        return ledger
    }

    private func saveLedger(_ ledger: ProfileLedger) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try fs.writeAtomically(ledgerPath, Array(try encoder.encode(ledger)) + [0x0A], mode: 0o600)
    }

    /// STS values go into an INI line: anything outside their alphabet (a newline could
    /// start a new section) is refused.
    static func checkWritable(_ c: AWSCredentials) throws {
        try AWSCredentials.check(c)
        if let arn = c.assumedRoleArn, arn.contains(where: { $0.asciiValue.map { $0 < 0x21 || $0 == 0x7F } ?? true }) {
            throw LeappError(.sts, "STS returned an assumed-role ARN with characters an AWS file cannot hold")
        }
    }
}

/// A profile section that holds the user's own credential entries.
public struct ProfileConflict: Equatable, Sendable {
    public var profile: String
    public var file: String
    public var section: String
    public var keys: [String]

    public var summary: String {
        "profile \(profile) in \(Validation.printable(file)) holds entries leapp did not write (\(keys.joined(separator: ", ")))"
    }

    public func error(_ session: Session) -> LeappError {
        LeappError(
            .conflict, summary,
            hint:
                "leapp will not replace them; run `leapp session start \(session.alias) --take-over` (they are saved and put back at stop), or move the session to another profile (`leapp session change-profile \(session.alias) PROFILE`)"
        )
    }
}
