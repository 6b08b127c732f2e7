using EdgeStack.Contracts;

namespace EdgeStack.Blueprint.Tests;

public class FunctionCatalogTests
{
    [Fact]
    public void All_Order_IsTheContractsOrder()
    {
        var names = FunctionCatalog.All.Select(f => f.Name);

        Assert.Equal(FunctionNames.All, names);
    }

    [Fact]
    public void All_EveryFunction_IsAProjectTheDockerfileCanBuild()
    {
        var missing = FunctionCatalog.All
            .Select(f => Path.Combine(RepositoryRoot.Path, f.ProjectFolder, $"EdgeStack.Functions.{f.DockerfileApp}.csproj"))
            .Where(path => !File.Exists(path));

        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, StackPlanner.Dockerfile)));
        Assert.Empty(missing);
    }
}
