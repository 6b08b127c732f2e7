using System.Runtime.InteropServices;

namespace EdgeStack.Run;

/// <summary>SIGTERM for a child process: the function drains as the platform would make it.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    public static int Terminate(int pid) => Kill(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
