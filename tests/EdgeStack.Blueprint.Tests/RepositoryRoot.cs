namespace EdgeStack.Blueprint.Tests;

/// <summary>Finds the repository root: the first folder above the test binaries that holds EdgeStack.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "EdgeStack.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EdgeStack.sln not found above " + AppContext.BaseDirectory);
    }
}
