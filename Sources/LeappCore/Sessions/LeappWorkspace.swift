/// Reads a Leapp desktop workspace (`~/.Leapp/Leapp-lock.json`) and plans what to import:
/// its AWS IAM Role Federated sessions, the AWS IAM Role Chained sessions that come from them
/// (in chains of any length), IdP URLs and named profiles.
public struct LeappWorkspaceImport {
    public struct Planned: Equatable {
        public var newIdPURLs: [IdPURL] = []
        public var newProfiles: [String] = []
        public var newSessions: [Session] = []
        public var skipped: [String] = []
    }

    /// node-machine-id's default: SHA-256 (hex) of the machine id, lowercased, white space removed.
    public static func passphrase(machineID: String) -> String {
        let cleaned = machineID.unicodeScalars.filter { !($0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t") }
        return sha256Hex(Array(String(String.UnicodeScalarView(cleaned)).lowercased().utf8))
    }

    public static func decrypt(_ fileText: String, machineID: String) throws -> JSONValue {
        let plain = try CryptoJSAES.decrypt(fileText.trimmed, passphrase: passphrase(machineID: machineID))
        guard let doc = JSONValue.parse(plain), case .object = doc else {
            throw LeappError(.file, "the decrypted workspace is not JSON")
        }
        return doc
    }

    /// The provider, guessed from the IdP URL (Leapp logs in with a browser and does not record it).
    public static func provider(for url: String) -> Provider {
        let host = WebURL(url)?.host ?? ""
        let path = WebURL(url)?.pathAndQuery ?? ""
        if host.hasSuffix("okta.com") || host.hasSuffix("oktapreview.com") || path.contains("/home/amazon_aws/") { return .okta }
        if host.contains("microsoftonline") || host.contains("windowsazure") || host.contains("microsoft") { return .azureAD }
        if host == "accounts.google.com" { return .google }
        if host.hasSuffix("auth0.com") || path.hasPrefix("/samlp/") { return .auth0 }
        if host.hasSuffix("onelogin.com") { return .onelogin }
        if path.contains("/realms/") { return .keycloak }
        if path.lowercased().hasPrefix("/adfs/ls/") { return .adfs }
        if path.hasPrefix("/idp/profile/SAML2/") { return .shibboleth }
        if path.hasPrefix("/idp/startSSO.ping") { return .pingFederate }
        if host == "sso.jumpcloud.com" { return .jumpCloud }
        return .generic
    }

    /// A Leapp session name made into a leapp alias: invalid characters become '-'.
    public static func alias(from name: String) -> String {
        String(Validation.name(from: name, fallback: "session").prefix(60))
    }

    /// Plans the import against the current configuration; applies it to `config`.
    public static func plan(_ doc: JSONValue, into config: inout Configuration, newID: () -> String) throws -> Planned {
        func field(_ object: JSONValue, _ name: String) -> JSONValue? { object["_" + name] ?? object[name] }
        var planned = Planned()
        var idpMap: [String: String] = [:]
        for entry in field(doc, "idpUrls")?.array ?? [] {
            guard let id = entry["id"]?.string, let url = entry["url"]?.string?.trimmed else { continue }
            if let existing = config.idpUrls.first(where: { $0.url == url }) {
                idpMap[id] = existing.id
                continue
            }
            let idp = try config.addIdPURL(url: url, provider: provider(for: url), id: newID)
            planned.newIdPURLs.append(idp)
            idpMap[id] = idp.id
        }
        var profileNames: [String: String] = [:]
        for entry in field(doc, "profiles")?.array ?? [] {
            guard let id = entry["id"]?.string, let name = entry["name"]?.string else { continue }
            profileNames[id] = name
            if !config.profileNames.contains(name) {
                try Validation.checkName(name, what: "profile")
                config.ensureProfile(name, id: newID)
                planned.newProfiles.append(name)
            }
        }
        let defaultRegion = field(doc, "defaultRegion")?.string
        let entries = field(doc, "sessions")?.array ?? []
        // Leapp's session id -> leapp's, for the chained sessions' parents.
        var imported: [String: String] = [:]
        func remember(_ entry: JSONValue, as id: String) {
            if let leappID = entry["sessionId"]?.string { imported[leappID] = id }
        }
        // What every kind of session takes from its entry: a free alias, the profile, the region.
        func alias(_ name: String) -> String {
            Validation.unique(Self.alias(from: name)) { alias in config.sessions.contains { $0.alias == alias } }
        }
        func profile(_ entry: JSONValue) -> String { entry["profileId"]?.string.flatMap { profileNames[$0] } ?? "default" }
        func region(_ entry: JSONValue) -> String { entry["region"]?.string ?? defaultRegion ?? config.defaultRegion }
        func add(_ session: Session, from entry: JSONValue, named name: String) throws {
            do { try config.addSession(session, id: newID) } catch let e as LeappError {
                throw LeappError(.validation, "session '\(Validation.printable(name))' in the workspace: \(e.message)")
            }
            planned.newSessions.append(session)
            remember(entry, as: session.id)
        }
        for entry in entries {
            let name = entry["sessionName"]?.string ?? "session"
            guard entry["type"]?.string == "awsIamRoleFederated" else {
                if entry["type"]?.string != "awsIamRoleChained" {
                    planned.skipped.append("\(name) (\(entry["type"]?.string ?? "unknown type"): not a federated or chained session)")
                }
                continue
            }
            guard let roleArn = entry["roleArn"]?.string, let idpArn = entry["idpArn"]?.string,
                let idpRef = entry["idpUrlId"]?.string, let idpID = idpMap[idpRef]
            else {
                throw LeappError(.validation, "session '\(Validation.printable(name))' in the workspace lacks its role, IdP ARN or IdP URL")
            }
            if let existing = config.sessions.first(where: { $0.roleArn == roleArn && $0.idpUrlId == idpID }) {
                planned.skipped.append("\(name) (already configured)")
                remember(entry, as: existing.id)
                continue
            }
            let session = Session(
                id: newID(), alias: alias(name), profile: profile(entry), region: region(entry),
                idpUrlId: idpID, idpArn: idpArn, roleArn: roleArn)
            try add(session, from: entry, named: name)
        }
        // Chained sessions, each once its parent is in: as many rounds as the longest chain.
        var waiting = entries.filter { $0["type"]?.string == "awsIamRoleChained" }
        while !waiting.isEmpty {
            var next: [JSONValue] = []
            for entry in waiting {
                let name = entry["sessionName"]?.string ?? "session"
                guard let parentRef = entry["parentSessionId"]?.string, let roleArn = entry["roleArn"]?.string else {
                    throw LeappError(
                        .validation, "chained session '\(Validation.printable(name))' in the workspace lacks its role or parent")
                }
                guard let parentID = imported[parentRef], let parent = config.sessions.first(where: { $0.id == parentID }) else {
                    next.append(entry)
                    continue
                }
                if let existing = config.sessions.first(where: { $0.parentId == parentID && $0.roleArn == roleArn }) {
                    planned.skipped.append("\(name) (already configured)")
                    remember(entry, as: existing.id)
                    continue
                }
                let session = Session.chained(
                    id: newID(), alias: alias(name), profile: profile(entry), region: region(entry), parent: parent, roleArn: roleArn,
                    roleSessionName: entry["roleSessionName"]?.string.flatMap { $0.isEmpty ? nil : $0 })
                try add(session, from: entry, named: name)
            }
            if next.count == waiting.count {
                for entry in next {
                    planned.skipped.append(
                        "\(entry["sessionName"]?.string ?? "session") (chained from a session leapp does not import: only federated ones start a chain)"
                    )
                }
                break
            }
            waiting = next
        }
        return planned
    }
}
