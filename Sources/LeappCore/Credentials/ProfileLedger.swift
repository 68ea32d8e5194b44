/// What leapp wrote into the AWS files, per file and section: which session owns it, the
/// keys it set (with a hash of each value, so that a value the user edited since counts as
/// the user's), whether leapp created the section, and whether the user's own section was
/// saved (in the keyring) to be put back byte for byte when the session stops.
///
/// Kept in `$XDG_DATA_HOME/leapp/profiles.json` (no secrets: values are hashed).
public struct ProfileLedger: Codable, Equatable, Sendable {
    public struct Record: Codable, Equatable, Sendable {
        public var file: String
        public var section: String
        public var session: String
        /// Key -> SHA-256 of the value leapp wrote.
        public var keys: [String: String]
        /// Set when leapp added the section; says what it added around it.
        public var created: AppendedSection?
        /// The user's section was saved before leapp took it over.
        public var savedOriginal: Bool
        /// While a write is under way (the journal): what leapp's entries held before it, so
        /// that a kill between the writes leaves them recognisable in either state.
        public var pending: [String: String]?

        public init(
            file: String, section: String, session: String, keys: [String: String] = [:],
            created: AppendedSection? = nil, savedOriginal: Bool = false
        ) {
            self.file = file
            self.section = section
            self.session = session
            self.keys = keys
            self.created = created
            self.savedOriginal = savedOriginal
        }

        /// Whether `value` under `key` is leapp's: the hash it wrote, or (mid-write) the one before.
        public func owns(_ key: String, value: String) -> Bool {
            let hash = ProfileLedger.hash(value)
            return keys[key] == hash || pending?[key] == hash
        }

        /// The keyring key of the saved original section.
        public var backupKey: String { sha256Hex(Array((file + "\n" + section).utf8)) }
    }

    public var version = 1
    public var records: [Record] = []

    public init() {}

    public func record(_ file: String, _ section: String) -> Record? {
        records.first { $0.file == file && $0.section == section }
    }

    public mutating func put(_ record: Record) {
        records.removeAll { $0.file == record.file && $0.section == record.section }
        records.append(record)
    }

    public mutating func drop(_ file: String, _ section: String) {
        records.removeAll { $0.file == file && $0.section == section }
    }

    public func owned(by session: String) -> [Record] { records.filter { $0.session == session } }

    /// The journal written before a change reaches the files: every record of `after`, also
    /// owning what its section held in `before`, and every record `after` drops, kept. A kill
    /// at any point of the writes leaves leapp's entries recognisable, old or new.
    public static func journal(from before: ProfileLedger, to after: ProfileLedger) -> ProfileLedger {
        var intent = after
        for old in before.records {
            guard var record = intent.record(old.file, old.section) else {
                intent.put(old)
                continue
            }
            var pending = record.pending ?? [:]
            for (key, hash) in old.keys where record.keys[key] != hash { pending[key] = hash }
            for (key, hash) in old.pending ?? [:] where record.keys[key] != hash && pending[key] == nil { pending[key] = hash }
            record.pending = pending.isEmpty ? nil : pending
            record.savedOriginal = record.savedOriginal || old.savedOriginal
            record.created = record.created ?? old.created
            intent.put(record)
        }
        return intent
    }

    static func hash(_ value: String) -> String { sha256Hex(Array(value.utf8)) }
}
