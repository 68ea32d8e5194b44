#if canImport(Glibc)
    import Glibc
#endif

/// A system call, called again while a signal interrupts it (EINTR): LeappSystem's one retry
/// loop. The call's own result comes back (-1 with errno for any other failure).
@inline(__always)
func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
    while true {
        let result = call()
        if result != -1 || errno != EINTR { return result }
    }
}

/// Writes every byte to a descriptor (short writes continued, EINTR retried): 0, or the errno
/// of the write that failed (EPIPE when the reader is gone).
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var offset = 0
    while offset < bytes.count {
        let n = retryingEINTR { write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
        if n < 0 { return errno }
        if n == 0 { return EIO }
        offset += n
    }
    return 0
}
