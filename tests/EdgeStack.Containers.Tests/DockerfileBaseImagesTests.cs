using EdgeStack.Blueprint;

namespace EdgeStack.Containers.Tests;

public sealed class DockerfileBaseImagesTests
{
    [Fact]
    public void Read_TheFunctionsDockerfile_ResolvesItsBuildArgumentsToTheirDefaults()
    {
        var root = FunctionManifest.FindRepositoryRoot(AppContext.BaseDirectory);

        var images = DockerfileBaseImages.Read(File.ReadAllText(Path.Combine(root, StackPlanner.Dockerfile)));

        // What `./edgestack containers` pulls or stands in for: the SDK to build, runtime-deps chiseled under every function.
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"], images);
    }

    [Fact]
    public void Read_ArgumentsInEitherSpelling_AreReplacedAndLiteralImagesKept()
    {
        const string Dockerfile = """
            ARG BUILD=example.test/sdk:1@sha256:0123
            ARG RUNTIME=example.test/deps:1
            FROM $BUILD AS build
            FROM example.test/tools:2 AS tools
            from ${RUNTIME} as final
            """;

        Assert.Equal(["example.test/sdk:1@sha256:0123", "example.test/tools:2", "example.test/deps:1"], DockerfileBaseImages.Read(Dockerfile));
        Assert.Equal("example.test/deps:1", DockerfileBaseImages.Final(Dockerfile));
    }

    [Fact]
    public void Read_ArgumentWithoutDefault_NamesIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DockerfileBaseImages.Read("ARG BASE\nFROM ${BASE}\n"));

        Assert.Contains("BASE has no default", error.Message, StringComparison.Ordinal);
    }
}
