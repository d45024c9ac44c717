using System.Runtime.InteropServices;

namespace Mesos.Executor.Runner.Processes.Native;

/// <summary>
/// The few libc calls the process layer needs that <see cref="System.Diagnostics.Process"/> cannot provide:
/// posix_spawn with a new session and exact argv[0], pidfd-based exit notification with the raw wait status
/// (Process folds a signal into 128+N), epoll for non-blocking output pipes, and kill for process groups.
/// Source-generated (<see cref="LibraryImportAttribute"/>), so trimming and AOT safe. Linux x64/arm64 only:
/// constants are the asm-generic values both architectures share.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    // fcntl / open flags
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    // errno values
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int ESRCH = 3;
    public const int ENOSYS = 38;

    // signals (asm-generic numbering, shared by x86-64 and arm64)
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;

    // posix_spawn attribute flags (glibc)
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80; // glibc >= 2.26

    // waitid
    public const int P_PID = 1;
    public const int WNOHANG = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;
    public const int CLD_EXITED = 1;
    public const int CLD_KILLED = 2;
    public const int CLD_DUMPED = 3;

    // epoll
    public const int EPOLL_CLOEXEC = O_CLOEXEC;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;

    public const int EFD_CLOEXEC = O_CLOEXEC;
    public const int EFD_NONBLOCK = O_NONBLOCK;

    public const int X_OK = 1;

    /// <summary>pidfd_open(2) is syscall 434 on every architecture (the unified table from 424 on).</summary>
    public const nint SYS_pidfd_open = 434;

    /// <summary>Generous upper bounds of glibc's opaque types (x86-64: 80, 336 and 128 bytes).</summary>
    public const int SpawnFileActionsSize = 512;
    public const int SpawnAttrSize = 1024;
    public const int SigSetSize = 256;

    /// <summary>siginfo_t is 128 bytes; si_pid at 16, si_status at 24 on 64-bit Linux.</summary>
    public const int SigInfoSize = 128;
    public const int SigInfoCodeOffset = 8;
    public const int SigInfoPidOffset = 16;
    public const int SigInfoStatusOffset = 24;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Lib)]
    public static partial int getpid();

    /// <summary>glibc only: gives the free memory of every malloc arena back to the system.</summary>
    [LibraryImport(Lib)]
    public static partial int malloc_trim(nuint pad);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

    /// <summary>glibc >= 2.29.</summary>
    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* sigset);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* sigset);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* sigset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitid(int idType, int id, byte* info, int options);

    /// <summary>syscall(2) is variadic; with integer arguments only, the non-variadic call is ABI compatible on x86-64 and arm64 Linux.</summary>
    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint syscall(nint number, int pid, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxEvents, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).</summary>
    public static int EpollEventSize { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static int EpollDataOffset { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static string ErrorText(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
