import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `body` on a detached thread of its own (the endpoint's connections and refresher).
public func detachThread(_ body: @escaping () -> Void) throws {
    final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
    let job = Unmanaged.passRetained(Job(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, job)
    guard rc == 0 else {
        Unmanaged<Job>.fromOpaque(job).release()
        throw LeappError(.config, "cannot start a thread: \(String(cString: strerror(rc)))")
    }
    pthread_detach(thread)
}
