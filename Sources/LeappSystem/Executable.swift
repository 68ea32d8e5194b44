#if canImport(Glibc)
    import Glibc
#endif

/// Where `name` runs from, as a shell finds it: a path with a `/` as it is, else the first
/// executable of that name in `$PATH` (default `/usr/local/bin:/usr/bin:/bin`).
public func executable(_ name: String, _ environment: [String: String]) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    let path = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
    return path.lazy.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
}
