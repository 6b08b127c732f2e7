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
    public void All_EveryFunction_HasADockerfileInTheRepository()
    {
        var missing = FunctionCatalog.All
            .Select(f => Path.Combine(RepositoryRoot.Path, f.ProjectFolder, "Dockerfile"))
            .Where(path => !File.Exists(path));

        Assert.Empty(missing);
    }
}
