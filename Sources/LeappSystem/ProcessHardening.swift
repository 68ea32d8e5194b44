import CLeappShims

/// Called first thing in `main`: no core dumps and not dumpable (a core or a ptrace of
/// leapp would hold passwords, IdP cookies and assertions), and SIGXFSZ ignored so that a
/// write over `ulimit -f` fails with EFBIG, which leapp reports, instead of killing it.
public func hardenProcess() {
    leapp_harden_process()
}
