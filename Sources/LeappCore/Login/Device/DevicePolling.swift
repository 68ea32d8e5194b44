/// The device flow's timing as Okta announced it, clamped: an `interval` of 0 or less would poll
/// thousands of times a second, a huge one sleep past the code's life; `expires_in` bounds the
/// wait whatever the server later says.
struct DevicePolling {
    static let minInterval = 1.0
    static let maxInterval = 60.0
    static let maxLifetime = 1800.0

    let interval: Double
    let expiresIn: Double

    init(interval: Int?, expiresIn: Int?) {
        self.interval = min(max(Double(interval ?? 5), Self.minInterval), Self.maxInterval)
        self.expiresIn = min(max(Double(expiresIn ?? 600), 1), Self.maxLifetime)
    }
}
