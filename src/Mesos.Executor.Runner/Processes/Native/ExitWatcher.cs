using System.Runtime.InteropServices;
using static Mesos.Executor.Runner.Processes.Native.Libc;

namespace Mesos.Executor.Runner.Processes.Native;

/// <summary>
/// Tells when a child has exited, without reaping it: a pidfd in the I/O loop where the kernel has them
/// (Linux 5.3+), else one thread blocked in waitid(WNOWAIT) per child. Not reaping first matters: while the
/// main process is an unreaped zombie its pid, and so its process group id, cannot be reused, so the
/// supervisor can still kill the rest of the group safely before it reaps.
/// </summary>
internal sealed class ExitWatcher : IIoHandler
{
    private readonly ProcessIoLoop _loop;
    private readonly int _pid;
    private readonly Action _onExit;
    private int _pidfd;

    private ExitWatcher(ProcessIoLoop loop, int pid, Action onExit)
    {
        _loop = loop;
        _pid = pid;
        _onExit = onExit;
    }

    /// <summary>Watches <paramref name="pid"/>; <paramref name="onExit"/> runs once, on the thread pool. Loop thread only.</summary>
    public static void Watch(ProcessIoLoop loop, int pid, Action onExit)
    {
        var watcher = new ExitWatcher(loop, pid, onExit);
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd >= 0)
        {
            watcher._pidfd = pidfd;
            loop.Register(pidfd, watcher);
            return;
        }

        // ENOSYS (old kernel) or EPERM (seccomp): fall back to a blocking waiter.
        var thread = new Thread(() =>
        {
            _ = WaitNoReap(pid, blocking: true);
            onExit();
        })
        { IsBackground = true, Name = $"wait {pid}" };
        thread.Start();
    }

    public void OnReady(uint events)
    {
        _loop.Unregister(_pidfd);
        _ = close(_pidfd);
        _pidfd = -1;
        ThreadPool.UnsafeQueueUserWorkItem(static action => action(), _onExit, preferLocal: false);
    }

    /// <summary>The child's wait status, leaving it a zombie; null if it has not exited (non-blocking) or is gone.</summary>
    public static unsafe ProcessExitStatus? WaitNoReap(int pid, bool blocking) =>
        Wait(pid, WEXITED | WNOWAIT | (blocking ? 0 : WNOHANG));

    /// <summary>Reaps the child (it must have exited); returns its status, or null if someone else reaped it.</summary>
    public static ProcessExitStatus? Reap(int pid) => Wait(pid, WEXITED | WNOHANG);

    /// <summary>Waits for and reaps a child that nothing else watches (short helper runs only).</summary>
    public static ProcessExitStatus? ReapBlocking(int pid) => Wait(pid, WEXITED);

    private static unsafe ProcessExitStatus? Wait(int pid, int options)
    {
        byte* info = stackalloc byte[SigInfoSize];
        while (true)
        {
            new Span<byte>(info, SigInfoSize).Clear();
            if (waitid(P_PID, pid, info, options) == 0)
            {
                if (*(int*)(info + SigInfoPidOffset) == 0)
                {
                    return null; // WNOHANG and still running
                }

                int code = *(int*)(info + SigInfoCodeOffset);
                int status = *(int*)(info + SigInfoStatusOffset);
                return code switch
                {
                    CLD_EXITED => ProcessExitStatus.Exited(status),
                    CLD_KILLED => ProcessExitStatus.Signaled(status, coreDumped: false),
                    CLD_DUMPED => ProcessExitStatus.Signaled(status, coreDumped: true),
                    _ => null,
                };
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                return null; // ECHILD: reaped elsewhere (see ProcessExitStatus.Unknown)
            }
        }
    }
}
