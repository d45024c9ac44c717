using System.Runtime.InteropServices;
using Mesos.Executor.Runner.Processes.Output;
using static Mesos.Executor.Runner.Processes.Native.Libc;

namespace Mesos.Executor.Runner.Processes.Native;

/// <summary>
/// The executor's (non-blocking) read end of a child's stdout or stderr pipe. The I/O loop drains it as soon
/// as data arrives and hands the bytes to an <see cref="OutputSink"/>, which never blocks: a child is never
/// held up by a slow disk.
/// </summary>
internal sealed unsafe class OutputPipe : IIoHandler
{
    private const int ReadSize = 64 * 1024;
    private const int MaxReadsPerWakeup = 16; // fairness between chatty and quiet children

    // Loop thread only, so one pinned buffer serves every pipe.
    private static readonly byte[] s_buffer = GC.AllocateArray<byte>(ReadSize, pinned: true);

    private readonly ProcessIoLoop _loop;
    private readonly OutputSink _sink;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fd;

    private OutputPipe(ProcessIoLoop loop, int fd, OutputSink sink)
    {
        _loop = loop;
        _fd = fd;
        _sink = sink;
    }

    /// <summary>Completes at end of file (every writer closed), after the sink has been told.</summary>
    public Task Closed => _closed.Task;

    public OutputSink Sink => _sink;

    /// <summary>Creates a pipe; returns our reader and the write end to hand to the child (close it after spawning).</summary>
    public static (OutputPipe Reader, int WriteFd) Create(ProcessIoLoop loop, OutputSink sink)
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) < 0)
        {
            throw new ProcessStartException($"could not create an output pipe: {ErrorText(Marshal.GetLastPInvokeError())}");
        }

        int flags = fcntl(fds[0], F_GETFL, 0);
        if (flags < 0 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = close(fds[0]);
            _ = close(fds[1]);
            throw new ProcessStartException($"could not make an output pipe non-blocking: {ErrorText(errno)}");
        }

        return (new OutputPipe(loop, fds[0], sink), fds[1]);
    }

    /// <summary>Starts draining. Loop thread only.</summary>
    public void Start() => _loop.Register(_fd, this);

    public void OnReady(uint events)
    {
        fixed (byte* buffer = s_buffer)
        {
            for (int i = 0; i < MaxReadsPerWakeup && _fd >= 0; i++)
            {
                nint count = read(_fd, buffer, ReadSize);
                if (count > 0)
                {
                    _sink.Write(new ReadOnlySpan<byte>(buffer, (int)count));
                    if (count < ReadSize)
                    {
                        return; // drained; level-triggered epoll calls again when there is more
                    }
                }
                else if (count == 0)
                {
                    Close();
                }
                else
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    if (errno != EAGAIN)
                    {
                        Close();
                    }

                    return;
                }
            }
        }
    }

    /// <summary>
    /// Stops reading even though some process still holds the write end (one that escaped every kill).
    /// Its later writes get EPIPE/SIGPIPE, as they would with Mesos' own log capture gone.
    /// </summary>
    public void Abandon() => _loop.Post(Close);

    /// <summary>Closes a pipe that was never started (the spawn failed). Loop thread only.</summary>
    public void CloseUnstarted()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
            _sink.Complete();
            _closed.TrySetResult();
        }
    }

    private void Close()
    {
        if (_fd < 0)
        {
            return;
        }

        _loop.Unregister(_fd);
        _ = close(_fd);
        _fd = -1;
        _sink.Complete();
        _closed.TrySetResult();
    }
}
