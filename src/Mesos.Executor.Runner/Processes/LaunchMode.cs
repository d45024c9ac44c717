namespace Mesos.Executor.Runner.Processes;

/// <summary>How a process was launched, which decides what happens to it if the executor is SIGKILLed.</summary>
internal enum LaunchMode
{
    /// <summary>posix_spawn of the program itself: exact argv, no parent-death signal.</summary>
    Direct = 0,

    /// <summary>
    /// Through <c>setpriv --pdeathsig KILL --</c> (util-linux, /usr/bin/setpriv on Debian): the kernel SIGKILLs
    /// the main process when the executor's spawning thread dies. setpriv execs the program, so the pid, the
    /// session and the exit status are the program's own; argv[0] becomes the resolved path (a basename like
    /// "sh" becomes "/bin/sh").
    /// </summary>
    ParentDeathSignal = 1,

    /// <summary>
    /// As <see cref="ParentDeathSignal"/>, plus bash's <c>exec -a</c> to keep an argv[0] that differs from the
    /// program's name (multi-call binaries such as busybox care). bash adds SHLVL, PWD and _ to the environment.
    /// </summary>
    ParentDeathSignalExactArgv0 = 2,
}
