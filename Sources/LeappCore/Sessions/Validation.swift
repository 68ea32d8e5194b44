/// The rules a session and an IdP URL must satisfy before they are stored.
public enum Validation {
    public static let minDuration = 900
    public static let maxDuration = 43200
    private static let nameChars = ASCIISet(String.asciiLetters + String.asciiDigits + "._-@+")

    /// `text` made into a name `checkName` accepts (length aside): other characters become '-',
    /// leading '-' and '.' are dropped, and `fallback` stands in when nothing is left.
    public static func name(from text: String, fallback: String) -> String {
        var out = String(text.map { $0.asciiValue.map(nameChars.contains) == true ? $0 : "-" })
        while out.hasPrefix("-") || out.hasPrefix(".") { out.removeFirst() }
        return out.isEmpty ? fallback : out
    }

    /// `base`, or `base-2`, `base-3`... the first one not taken (64 characters at most).
    public static func unique(_ base: String, taken: (String) -> Bool) -> String {
        var candidate = String(base.prefix(64))
        var n = 2
        while taken(candidate) {
            candidate = "\(base.prefix(60))-\(n)"
            n += 1
        }
        return candidate
    }

    /// The name an IdP URL gets when none is given: its host (the provider when it has none).
    public static func idpURLName(for url: String, provider: Provider) -> String {
        let host = WebURL(url)?.host ?? provider.rawValue
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        let cleaned = String(host.lowercased().filter { allowed.contains($0) }.prefix(48))
        return cleaned.isEmpty || cleaned.hasPrefix(".") || cleaned.hasPrefix("-") ? provider.rawValue : cleaned
    }

    /// A name that is safe in a shell word, an INI section header and a file name.
    public static func checkName(_ value: String, what: String) throws {
        guard !value.isEmpty else { throw LeappError(.validation, "\(what) must not be empty") }
        guard value.count <= 64 else { throw LeappError(.validation, "\(what) '\(printable(value))' is longer than 64 characters") }
        guard value.consists(of: nameChars), !value.hasPrefix("-"), !value.hasPrefix(".") else {
            throw LeappError(
                .validation, "\(what) '\(printable(value))' may only use letters, digits and . _ - @ +",
                hint: "and must not start with '-' or '.'")
        }
    }

    public static func checkRegion(_ region: String, partition: Partition) throws {
        guard partition.regions.contains(region) else {
            let known = Partition.allCases.first { $0.regions.contains(region) }
            if let known {
                throw LeappError(
                    .validation, "region \(region) is in partition \(known.rawValue), but the ARNs are in \(partition.rawValue)")
            }
            throw LeappError(
                .validation, "unknown region '\(printable(region))' for partition \(partition.rawValue)",
                hint: "for example \(partition.regions[0])")
        }
    }

    public static func checkSAMLURL(_ url: String) throws {
        guard let parsed = WebURL(url) else {
            throw LeappError(.validation, "SAML URL '\(printable(url))' is not an absolute http(s) URL")
        }
        guard parsed.isAllowedTransport else {
            throw LeappError(.validation, "SAML URL must use https (plain http is allowed only to loopback): \(printable(url))")
        }
    }

    public static func checkDuration(_ seconds: Int) throws {
        guard (minDuration...maxDuration).contains(seconds) else {
            throw LeappError(.validation, "duration \(seconds) is outside 900..43200 seconds")
        }
    }

    /// Validates a session against the configuration it is about to join.
    /// Returns the parsed role ARN.
    @discardableResult
    public static func check(_ session: Session, in config: Configuration) throws -> IAMARN {
        try checkName(session.alias, what: "alias")
        try checkName(session.profile, what: "profile")
        let role = try IAMARN(parsing: session.roleArn, expecting: .role)
        if session.isChained {
            try checkChained(session, in: config, role: role)
        } else {
            try checkFederated(session, in: config, role: role)
        }
        if let other = config.sessions.first(where: { $0.alias == session.alias && $0.id != session.id }) {
            throw LeappError(.validation, "alias '\(other.alias)' is already used", hint: "choose another alias")
        }
        return role
    }

    static func checkFederated(_ session: Session, in config: Configuration, role: IAMARN) throws {
        let idp = try IAMARN(parsing: session.idpArn, expecting: .samlProvider)
        guard role.partition == idp.partition else {
            throw LeappError(
                .validation, "role ARN and IdP ARN are in different partitions (\(role.partition.rawValue), \(idp.partition.rawValue))")
        }
        guard role.account == idp.account else {
            throw LeappError(.validation, "role ARN and IdP ARN are in different accounts (\(role.account), \(idp.account))")
        }
        try checkRegion(session.region, partition: role.partition)
        if let d = session.duration { try checkDuration(d) }
        guard config.idpUrls.contains(where: { $0.id == session.idpUrlId }) else {
            throw LeappError(.validation, "unknown IdP URL id \(session.idpUrlId)")
        }
    }

    /// A chained session: a parent that exists and leads to a federated session without a
    /// loop, a role in the parent's partition, at most an hour (AWS's limit for role chaining),
    /// and the external ID and role session name in the characters STS accepts.
    static func checkChained(_ session: Session, in config: Configuration, role: IAMARN) throws {
        guard let parent = config.sessions.first(where: { $0.id == session.parentId }) else {
            throw LeappError(.validation, "no parent session \(printable(session.parentId ?? ""))", hint: "see `leapp session list`")
        }
        var chain = config
        chain.sessions.removeAll { $0.id == session.id }
        chain.sessions.append(session)
        guard chain.root(of: session) != nil else {
            throw LeappError(.validation, "session \(parent.alias) cannot be \(session.alias)'s parent: the chain would loop")
        }
        if let parentRole = try? IAMARN(parsing: parent.roleArn, expecting: .role), parentRole.partition != role.partition {
            throw LeappError(
                .validation, "the role is in \(role.partition.rawValue) and the parent's in \(parentRole.partition.rawValue)")
        }
        try checkRegion(session.region, partition: role.partition)
        if let d = session.duration, !(minDuration...Federation.maxChainedDuration).contains(d) {
            throw LeappError(.validation, "a chained session lasts 900..3600 seconds (AWS limits role chaining to one hour)")
        }
        // STS's patterns: ExternalId [\w+=,.@:/-]{2,1224}; RoleSessionName [\w+=,.@-]{2,64}.
        func fits(_ value: String, _ extra: String, _ range: ClosedRange<Int>) -> Bool {
            range.contains(value.count) && value.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || extra.contains($0) }
        }
        if let id = session.externalId, !fits(id, "_+=,.@:/-", 2...1224) {
            throw LeappError(.validation, "an external ID is 2 to 1224 letters, digits and _+=,.@:/-")
        }
        if let name = session.roleSessionName, !fits(name, "_+=,.@-", 2...64) {
            throw LeappError(.validation, "a role session name is 2 to 64 letters, digits and _+=,.@-")
        }
    }

    public static func check(_ idp: IdPURL, in config: Configuration) throws {
        try checkName(idp.name, what: "IdP URL name")
        try checkSAMLURL(idp.url)
        if let other = config.idpUrls.first(where: { $0.name == idp.name && $0.id != idp.id }) {
            throw LeappError(.validation, "IdP URL name '\(other.name)' is already used")
        }
        if let other = config.idpUrls.first(where: { $0.url == idp.url && $0.id != idp.id }) {
            throw LeappError(.validation, "IdP URL \(other.url) already exists as '\(other.name)'")
        }
    }

    /// A value made safe for a one-line message: control characters shown as '?', long values cut.
    public static func printable(_ value: String, limit: Int = 80) -> String {
        TerminalText.line(value, limit: limit)
    }
}
