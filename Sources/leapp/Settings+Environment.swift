import LeappCore

extension Settings {
    /// The settings from the environment: the one place the core's settings are read.
    init(environment: [String: String]) {
        self.init()
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        pollIntervalMs = value("LEAPP_POLL_INTERVAL_MS").flatMap(Double.init)
        pollTimeout = value("LEAPP_POLL_TIMEOUT").flatMap(Double.init)
        hasDisplay = value("DISPLAY") != nil || value("WAYLAND_DISPLAY") != nil
        browserHeadless = ["1", "true", "yes"].contains((value("LEAPP_BROWSER_HEADLESS") ?? "").lowercased())
        browserTimeout = value("LEAPP_BROWSER_TIMEOUT").flatMap { DurationText.seconds($0) }.map(Double.init)
        googleAwaitURL = value("LEAPP_GOOGLE_AWAIT_URL")
        oneLoginRegion = value("LEAPP_ONELOGIN_REGION") ?? "us"
        if let id = value("LEAPP_ONELOGIN_CLIENT_ID"), let secret = value("LEAPP_ONELOGIN_CLIENT_SECRET") {
            oneLoginClient = APIClient(id: id, secret: secret)
        }
        stsEndpoint = (value("AWS_ENDPOINT_URL_STS") ?? value("AWS_ENDPOINT_URL"))?.trimmed
        federationURL = value("LEAPP_FEDERATION_URL")
        signinURL = value("LEAPP_AWS_SIGNIN_URL")
    }
}
