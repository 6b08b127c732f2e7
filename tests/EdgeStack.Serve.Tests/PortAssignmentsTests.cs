namespace EdgeStack.Serve.Tests;

public sealed class PortAssignmentsTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("edgestack-ports-").FullName;

    [Fact]
    public void LoadOrAssign_FirstRun_GivesOffsetsFromOneInNameOrder()
    {
        var offsets = PortAssignments.LoadOrAssign(_state, ["worker", "hello", "analytics"]);

        Assert.Equal(1, offsets["analytics"]);
        Assert.Equal(2, offsets["hello"]);
        Assert.Equal(3, offsets["worker"]);
    }

    [Fact]
    public void LoadOrAssign_FunctionAdded_KeepsTheOffsetsOfTheOthers()
    {
        var before = PortAssignments.LoadOrAssign(_state, ["hello", "upload"]);

        var after = PortAssignments.LoadOrAssign(_state, ["hello", "upload", "analytics"]);

        Assert.Equal(before["hello"], after["hello"]);
        Assert.Equal(before["upload"], after["upload"]);
        Assert.Equal(3, after["analytics"]);
    }

    [Fact]
    public void LoadOrAssign_FunctionRemovedAndAddedBack_GetsItsOldOffset()
    {
        var before = PortAssignments.LoadOrAssign(_state, ["hello", "upload"]);
        PortAssignments.LoadOrAssign(_state, ["upload"]);

        var after = PortAssignments.LoadOrAssign(_state, ["thumbnail", "hello", "upload"]);

        Assert.Equal(before["hello"], after["hello"]);
        Assert.Equal(3, after["thumbnail"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "hello": 0 }""")]
    [InlineData("""{ "hello": 2, "upload": 2 }""")]
    public void LoadOrAssign_BadFile_FailsNamingIt(string content)
    {
        File.WriteAllText(Path.Combine(_state, PortAssignments.FileName), content);

        var error = Assert.Throws<InvalidOperationException>(() => PortAssignments.LoadOrAssign(_state, ["hello"]));

        Assert.Contains(Path.Combine(_state, PortAssignments.FileName), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrAssign_WritesTheFileForItsOwnerOnly()
    {
        PortAssignments.LoadOrAssign(_state, ["hello"]);

        Assert.Equal(StateFiles.PrivateFileMode, File.GetUnixFileMode(Path.Combine(_state, PortAssignments.FileName)));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
