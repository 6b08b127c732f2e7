namespace EdgeStack.Blueprint.Tests;

public class BaseImageTests
{
    private const string PinnedSdk = "mcr.microsoft.com/dotnet/sdk@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string PinnedRuntime = "mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    [Fact]
    public void Plan_PinnedBaseImages_ReachEveryImagesBuildArguments()
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StackConfigKeys.BuildImage] = PinnedSdk,
            [StackConfigKeys.RuntimeImage] = PinnedRuntime,
        };

        var plan = TestStacks.Plan(config);

        Assert.All(plan.Apps, app => Assert.Equal(
            (PinnedSdk, PinnedRuntime),
            (app.Image.BuildArgs[StackPlanner.DockerfileBuildImageArgument], app.Image.BuildArgs[StackPlanner.DockerfileRuntimeImageArgument])));
    }

    [Fact]
    public void Plan_NoBaseImagesSet_PassesOnlyTheFunctionSoTheDockerfileDefaultsApply()
    {
        var plan = TestStacks.DefaultPlan();

        Assert.All(plan.Apps, app => Assert.Equal([StackPlanner.DockerfileAppArgument], app.Image.BuildArgs.Keys));
    }

    [Theory]
    [InlineData(StackConfigKeys.BuildImage, "mcr.microsoft.com/dotnet/sdk:10.0")]
    [InlineData(StackConfigKeys.RuntimeImage, "mcr.microsoft.com/dotnet/runtime-deps")]
    [InlineData(StackConfigKeys.RuntimeImage, "mcr.microsoft.com/dotnet/runtime-deps@sha256:abc")]
    [InlineData(StackConfigKeys.RuntimeImage, "mcr.microsoft.com/dotnet/runtime-deps@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_BaseImageNotPinnedByDigest_FailsNamingTheKey(string key, string image)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => TestStacks.Parse(new Dictionary<string, string>(StringComparer.Ordinal) { [key] = image }));

        Assert.Contains($"{key}: '{image}' is not pinned by digest", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_TakesEachBaseImageFromItsBuildArgument()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, StackPlanner.Dockerfile));
        var firstFrom = Array.FindIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));

        var globalArgs = lines[..firstFrom].Where(l => l.StartsWith("ARG ", StringComparison.Ordinal)).Select(l => l[4..].Split('=')[0]);
        var fromImages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]);

        Assert.Equal([StackPlanner.DockerfileBuildImageArgument, StackPlanner.DockerfileRuntimeImageArgument], globalArgs);
        Assert.Equal([$"${{{StackPlanner.DockerfileBuildImageArgument}}}", $"${{{StackPlanner.DockerfileRuntimeImageArgument}}}"], fromImages);
    }
}
