public protocol Clock {
    var now: Date { get }
    func sleep(seconds: Double)
}
