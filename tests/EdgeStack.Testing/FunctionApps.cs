namespace EdgeStack.Testing;

/// <summary>Finds a function app's own build output, so it runs with its own deps, runtimeconfig and appsettings.json.</summary>
public static class FunctionApps
{
    /// <summary>The path of <c>functions/{project}/bin/{configuration}/{tfm}/{project}.dll</c>, built in the tests' configuration.</summary>
    public static string AssemblyPath(string project) => AssemblyPath(project, "functions");

    /// <summary>The path of a test-only function, <c>tests/functions/{project}/bin/{configuration}/{tfm}/{project}.dll</c>.</summary>
    public static string TestFunctionAssemblyPath(string project) => AssemblyPath(project, Path.Combine("tests", "functions"));

    private static string AssemblyPath(string project, string folder)
    {
        // The tests run from tests/<Tests>/bin/<Configuration>/<tfm>/: the app was built the same way.
        var tfmFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmFolder.Parent!.Name;
        var path = Path.Combine(TestPaths.RepositoryRoot, folder, project, "bin", configuration, tfmFolder.Name, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built in {configuration}; build it (the test project references it).", path);
    }
}
