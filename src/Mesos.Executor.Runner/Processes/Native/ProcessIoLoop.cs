using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Mesos.Executor.Runner.Processes.Native.Libc;

namespace Mesos.Executor.Runner.Processes.Native;

/// <summary>Something the I/O loop calls when its file descriptor is ready (always on the loop thread).</summary>
internal interface IIoHandler
{
    void OnReady(uint events);
}

/// <summary>
/// One long-lived thread that owns every task's output pipes and exit notifications (pidfds) through epoll,
/// and that spawns every task process.
/// <para>
/// Why one thread: .NET reads anonymous pipes with blocking reads on thread-pool threads, so 1,000 task
/// processes would need 2,000 blocked threads; here they cost one. Why spawn from it: Linux sends the
/// parent-death signal (PR_SET_PDEATHSIG, set by <c>setpriv --pdeathsig</c>) when the parent
/// <em>thread</em> exits, and a thread-pool thread may retire at any time, killing the task with it.
/// This thread lives as long as the executor.
/// </para>
/// </summary>
internal sealed unsafe class ProcessIoLoop
{
    private const int MaxEvents = 64;

    private static readonly Lazy<ProcessIoLoop> s_shared = new(() => new ProcessIoLoop(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Dictionary<int, IIoHandler> _handlers = [];
    private readonly Thread _thread;
    private int _wakePending;

    private ProcessIoLoop()
    {
        _epoll = epoll_create1(EPOLL_CLOEXEC);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: {ErrorText(Marshal.GetLastPInvokeError())}");
        }

        _wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            throw new InvalidOperationException($"eventfd failed: {ErrorText(Marshal.GetLastPInvokeError())}");
        }

        AddToEpoll(_wakeFd);
        _thread = new Thread(Run) { IsBackground = true, Name = "mesos-executor processes" };
        _thread.Start();
    }

    public static ProcessIoLoop Shared => s_shared.Value;

    /// <summary>Runs <paramref name="action"/> on the loop thread, soon.</summary>
    public void Post(Action action)
    {
        _work.Enqueue(action);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            while (write(_wakeFd, (byte*)&one, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
        }
    }

    /// <summary>Runs <paramref name="func"/> on the loop thread and returns its result (or exception).</summary>
    public Task<T> InvokeAsync<T>(Func<T> func)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                completion.SetResult(func());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        });
        return completion.Task;
    }

    /// <summary>Watches <paramref name="fd"/> for readability (level-triggered). Loop thread only.</summary>
    public void Register(int fd, IIoHandler handler)
    {
        AssertLoopThread();
        AddToEpoll(fd);
        _handlers.Add(fd, handler);
    }

    /// <summary>Stops watching <paramref name="fd"/>; the caller still owns and closes it. Loop thread only.</summary>
    public void Unregister(int fd)
    {
        AssertLoopThread();
        if (_handlers.Remove(fd))
        {
            _ = epoll_ctl(_epoll, EPOLL_CTL_DEL, fd, null);
        }
    }

    private void AssertLoopThread()
    {
        if (_thread is not null && Thread.CurrentThread != _thread)
        {
            throw new InvalidOperationException("Only the process I/O loop thread may change its registrations.");
        }
    }

    private void AddToEpoll(int fd)
    {
        byte* ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        Unsafe.WriteUnaligned(ev, EPOLLIN);
        Unsafe.WriteUnaligned(ev + EpollDataOffset, (ulong)fd);
        if (epoll_ctl(_epoll, EPOLL_CTL_ADD, fd, ev) < 0)
        {
            throw new InvalidOperationException($"epoll_ctl(ADD, {fd}) failed: {ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }

    private void Run()
    {
        int size = EpollEventSize;
        byte* events = (byte*)NativeMemory.AllocZeroed((nuint)(size * MaxEvents));
        while (true)
        {
            int count = epoll_wait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue; // the runtime's own signals (GC suspension) interrupt system calls
                }

                Environment.FailFast($"epoll_wait failed: {ErrorText(errno)}; task processes can no longer be supervised");
            }

            for (int i = 0; i < count; i++)
            {
                byte* ev = events + (i * size);
                uint flags = Unsafe.ReadUnaligned<uint>(ev);
                int fd = (int)Unsafe.ReadUnaligned<ulong>(ev + EpollDataOffset);
                if (fd == _wakeFd)
                {
                    Volatile.Write(ref _wakePending, 0);
                    ulong value;
                    _ = read(_wakeFd, (byte*)&value, sizeof(ulong));
                    continue;
                }

                if (_handlers.TryGetValue(fd, out var handler))
                {
                    RunGuarded(() => handler.OnReady(flags));
                }
            }

            while (_work.TryDequeue(out var action))
            {
                RunGuarded(action);
            }
        }
    }

    private static void RunGuarded(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // A bug in one handler must not stop supervision of every other task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            UnhandledHandlerError?.Invoke(ex);
        }
    }

    /// <summary>Observes handler bugs (tests fail on them; the executor logs them).</summary>
    public static Action<Exception>? UnhandledHandlerError { get; set; }
}
