using System.Runtime.InteropServices;
using static Mesos.Executor.Runner.Processes.Native.Libc;

namespace Mesos.Executor.Runner.Processes.Native;

/// <summary>What to hand to posix_spawn: all strings already validated (no NUL characters).</summary>
/// <param name="Path">Absolute path of the program to execute.</param>
/// <param name="Argv">The complete argv, argv[0] included.</param>
/// <param name="Environment">"NAME=value" entries.</param>
/// <param name="WorkingDirectory">Directory to change to in the child, or null to keep the executor's.</param>
/// <param name="StdoutFd">File descriptor to become the child's stdout, or -1 for /dev/null, or -2 to inherit.</param>
/// <param name="StderrFd">Same for stderr.</param>
internal sealed record SpawnRequest(
    string Path,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Environment,
    string? WorkingDirectory,
    int StdoutFd,
    int StderrFd)
{
    public const int DevNull = -1;
    public const int Inherit = -2;
}

/// <summary>
/// posix_spawn with a new session (POSIX_SPAWN_SETSID: the child is leader of its own session and process
/// group, so one kill(-pid) reaches the whole task), default signal dispositions and an empty signal mask
/// (the .NET runtime ignores SIGPIPE, and ignored signals survive exec), stdin from /dev/null.
/// glibc reports exec failures (ENOENT, EACCES, ...) as the return value, so a failed start is an error
/// here, not a mysterious exit code 127.
/// </summary>
internal static unsafe class PosixSpawn
{
    private static readonly byte[] s_devNull = "/dev/null\0"u8.ToArray();

    /// <summary>Returns the child's pid, or throws <see cref="ProcessStartException"/> with the errno text.</summary>
    public static int Spawn(SpawnRequest request)
    {
        var allocations = new List<nint>();
        void* actions = NativeMemory.AllocZeroed(SpawnFileActionsSize);
        void* attributes = NativeMemory.AllocZeroed(SpawnAttrSize);
        void* sigset = NativeMemory.AllocZeroed(SigSetSize);
        bool actionsReady = false, attributesReady = false;
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            attributesReady = true;

            fixed (byte* devNull = s_devNull)
            {
                Check(posix_spawn_file_actions_addopen(actions, 0, devNull, O_RDONLY, 0), "addopen(stdin)");
                AddOutput(actions, 1, request.StdoutFd, devNull);
                AddOutput(actions, 2, request.StderrFd, devNull);
            }

            if (request.WorkingDirectory is not null)
            {
                byte* dir = Utf8(request.WorkingDirectory, allocations);
                try
                {
                    Check(posix_spawn_file_actions_addchdir_np(actions, dir), "posix_spawn_file_actions_addchdir_np");
                }
                catch (EntryPointNotFoundException ex)
                {
                    throw new ProcessStartException(
                        "setting a task's working directory needs glibc 2.29 or newer (posix_spawn_file_actions_addchdir_np)", ex);
                }
            }

            Check(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            Check(sigfillset(sigset), "sigfillset");
            Check(posix_spawnattr_setsigdefault(attributes, sigset), "posix_spawnattr_setsigdefault");
            Check(sigemptyset(sigset), "sigemptyset");
            Check(posix_spawnattr_setsigmask(attributes, sigset), "posix_spawnattr_setsigmask");

            byte* path = Utf8(request.Path, allocations);
            byte** argv = Utf8Array(request.Argv, allocations);
            byte** envp = Utf8Array(request.Environment, allocations);

            int pid;
            int error = posix_spawn(&pid, path, actions, attributes, argv, envp);
            if (error != 0)
            {
                throw new ProcessStartException($"could not execute '{request.Path}': {ErrorText(error)}");
            }

            return pid;
        }
        finally
        {
            if (actionsReady)
            {
                _ = posix_spawn_file_actions_destroy(actions);
            }

            if (attributesReady)
            {
                _ = posix_spawnattr_destroy(attributes);
            }

            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(sigset);
            foreach (var allocation in allocations)
            {
                NativeMemory.Free((void*)allocation);
            }
        }
    }

    private static void AddOutput(void* actions, int target, int fd, byte* devNull)
    {
        switch (fd)
        {
            case SpawnRequest.Inherit:
                break;
            case SpawnRequest.DevNull:
                Check(posix_spawn_file_actions_addopen(actions, target, devNull, O_WRONLY, 0), $"addopen({target})");
                break;
            default:
                // dup2 clears O_CLOEXEC on the copy; our own end stays close-on-exec.
                Check(posix_spawn_file_actions_adddup2(actions, fd, target), $"adddup2({target})");
                break;
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new ProcessStartException($"{what} failed: {ErrorText(result)}");
        }
    }

    private static byte* Utf8(string value, List<nint> allocations)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        allocations.Add((nint)buffer);
        System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    private static byte** Utf8Array(IReadOnlyList<string> values, List<nint> allocations)
    {
        byte** array = (byte**)NativeMemory.Alloc((nuint)((values.Count + 1) * sizeof(byte*)));
        allocations.Add((nint)array);
        for (int i = 0; i < values.Count; i++)
        {
            array[i] = Utf8(values[i], allocations);
        }

        array[values.Count] = null;
        return array;
    }
}
