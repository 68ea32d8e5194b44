public enum LeappVersion {
    public static let current = "0.1.0"
}
