import ArgumentParser
import LeappCore

/// Lets enums with raw String values be used as options, listing their values in help.
protocol ExpressibleByArgumentCase: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}
extension ExpressibleByArgumentCase {
    /// Values in any case (`--provider Okta`).
    public init?(argument: String) {
        guard let value = Self(rawValue: argument) ?? Self.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() })
        else {
            return nil
        }
        self = value
    }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension Provider: ExpressibleByArgumentCase {}
extension OutputMode: ExpressibleByArgumentCase {}
extension ExportFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { names }
}
extension LoginMethodKind: ExpressibleByArgumentCase {}

/// A `--duration` value: seconds, or `90m`, `1h`, `1h30m`...
struct Duration: ExpressibleByArgument {
    var seconds: Int
    init?(argument: String) {
        guard let s = DurationText.seconds(argument) else { return nil }
        seconds = s
    }
}
