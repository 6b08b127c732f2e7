namespace EdgeStack.Testing;

/// <summary>Finds the repository and the built apps that tests start as processes.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The path of an app's built assembly, copied next to the test assembly by a project reference.</summary>
    public static string AppAssembly(string assemblyName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyName}.dll is not next to the tests; reference its project.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeStack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("EdgeStack.sln not found above " + AppContext.BaseDirectory);
    }
}
