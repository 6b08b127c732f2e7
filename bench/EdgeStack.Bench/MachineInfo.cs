using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeStack.Bench;

/// <summary>What the numbers were measured on.</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Read()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux"
            : "Linux";
        return
        [
            ("CPU", $"{cpu}, {Environment.ProcessorCount} logical cores (nproc)"),
            ("memory", string.Create(CultureInfo.InvariantCulture, $"{long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB")),
            ("OS", $"{os}, kernel {kernel}, {RuntimeInformation.OSArchitecture}"),
            (".NET", $"SDK {Command("dotnet", "--version")}, runtime {Environment.Version}"),
            ("Node", Command("node", "--version")),
            ("load generator", Wrk.Version()),
            ("load average at start", File.ReadAllText("/proc/loadavg").Trim()),
        ];
    }

    private static string Command(string fileName, string arg)
    {
        var (output, _) = Wrk.RunToEnd(fileName, [arg]);
        return output.Trim();
    }
}
