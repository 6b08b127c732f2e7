using System.Security.Cryptography;
using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

/// <summary>A copy of this repository's sources in a temporary folder (no build output, no .git), with node_modules linked.</summary>
public sealed class RepositoryCopy : IDisposable
{
    private static readonly string[] s_skippedFolders = ["bin", "obj", "node_modules", ".git", ".edgestack", "TestResults"];

    public RepositoryCopy()
    {
        Root = Directory.CreateTempSubdirectory("edgestack-repo-").FullName;
        Copy(new DirectoryInfo(TestPaths.RepositoryRoot), Root);

        // Azurite, for the generated tests: AzuriteFixture runs it from the repository's node_modules.
        var modules = Path.Combine(TestPaths.RepositoryRoot, "node_modules");
        if (Directory.Exists(modules))
        {
            Directory.CreateSymbolicLink(Path.Combine(Root, "node_modules"), modules);
        }
    }

    public string Root { get; }

    /// <summary>
    /// Every file and folder with a hash of its content, to prove that nothing changed; the linked node_modules and
    /// .edgestack (the tools' own state, such as the template hive) are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        new DirectoryInfo(Root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(entry => !Path.GetRelativePath(Root, entry.FullName).StartsWith(".edgestack", StringComparison.Ordinal))
            .ToDictionary(
                entry => Path.GetRelativePath(Root, entry.FullName),
                entry => entry is FileInfo file ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName))) : "dir",
                StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static void Copy(DirectoryInfo source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(target, file.Name));
        }

        foreach (var folder in source.EnumerateDirectories().Where(d => !s_skippedFolders.Contains(d.Name, StringComparer.Ordinal)))
        {
            Copy(folder, Path.Combine(target, folder.Name));
        }
    }
}
