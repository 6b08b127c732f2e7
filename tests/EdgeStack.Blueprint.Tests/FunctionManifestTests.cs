namespace EdgeStack.Blueprint.Tests;

public class FunctionManifestTests
{
    [Fact]
    public void Discover_Repository_FindsEveryFolderWithADeclarationAndItsProject()
    {
        var folders = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, FunctionManifest.FunctionsFolder))
            .Where(d => File.Exists(Path.Combine(d, FunctionManifest.FileName)))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);

        var functions = FunctionManifest.Discover(RepositoryRoot.Path);

        Assert.Equal(folders, functions.Select(f => f.Name));
        Assert.All(functions, f => Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, f.ProjectPath)), f.ProjectPath));
    }

    [Fact]
    public void Discover_Repository_TheDockerfileIsWhereThePlanLooks()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, StackPlanner.Dockerfile)));
    }

    [Fact]
    public void FindRepositoryRoot_FromAFolderInside_FindsTheRoot()
    {
        var root = FunctionManifest.FindRepositoryRoot(Path.Combine(RepositoryRoot.Path, "infra", "EdgeStack.Infra"));

        Assert.Equal(RepositoryRoot.Path, root);
    }

    [Fact]
    public void Parse_MinimalHttpFunction_GetsTheDocumentedDefaults()
    {
        var function = Single("thumbnail", """{"kind":"http"}""");

        Assert.Equal(
            (FunctionKind.Http, IngressMode.External, true, AnalyticsRole.None, 0, (string?)null, 0, false),
            (function.Kind, function.DefaultIngress, function.RequireKey, function.Analytics, function.DurableHandlers.Count, function.Schedule, function.Storage.Count, function.HasDurableWork));
        Assert.Equal(("functions/thumbnail", "functions/thumbnail/thumbnail.csproj"), (function.Folder, function.ProjectPath));
    }

    [Theory]
    [InlineData("queue", IngressMode.Internal)]
    [InlineData("scheduled", IngressMode.None)]
    public void Parse_IngressDefault_FollowsTheKind(string kind, IngressMode expected)
    {
        var extra = kind == "queue" ? ""","durableHandlers":["h"]""" : ""","schedule":"0 3 * * *" """;

        var function = Single("job", $$"""{"kind":"{{kind}}"{{extra}}}""");

        Assert.Equal(expected, function.DefaultIngress);
    }

    [Fact]
    public void Parse_DurableHandlers_ImplyTheFunctionsOwnWorkAndPoisonQueuesAndTheStagingContainer()
    {
        var function = Single("thumbnail", """{"kind":"http","durableHandlers":["resize"],"storage":{"containers":{"images":"read"}}}""");

        Assert.Equal(
            [
                new StorageNeed(StorageKind.Container, "images", StorageAccess.Read),
                new StorageNeed(StorageKind.Queue, "thumbnail-jobs", StorageAccess.ReadWrite),
                new StorageNeed(StorageKind.Queue, "thumbnail-jobs-poison", StorageAccess.ReadWrite),
                new StorageNeed(StorageKind.Container, "uploads", StorageAccess.ReadWrite),
            ],
            function.AllStorage);
    }

    [Theory]
    [InlineData("Thumbnail", "not a function name")]
    [InlineData("image_resize", "not a function name")]
    [InlineData("-x", "not a function name")]
    [InlineData("x-", "not a function name")]
    [InlineData("a--b", "not a function name")]
    [InlineData("1st", "not a function name")]
    [InlineData("abcdefghijklmnopqrstuvwxy", "longer than 24")]
    public void Parse_BadFolderName_IsRefusedNamingIt(string name, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Single(name, """{"kind":"http"}"""));

        Assert.Contains($"functions/{name}: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "'kind' is required")]
    [InlineData("""{"kind":"htp"}""", "kind: 'htp' is not one of http, queue, scheduled")]
    [InlineData("""{"kind":"http","colour":"red"}""", "'colour' is not a declaration key")]
    [InlineData("""{"kind":"http","requireKey":"yes"}""", "requireKey: '\"yes\"' is not true or false")]
    [InlineData("""{"kind":"http","ingress":"public"}""", "ingress: 'public' is not one of external, internal, none")]
    [InlineData("""{"kind":"queue","durableHandlers":["h"],"ingress":"external"}""", "a queue function is not public")]
    [InlineData("""{"kind":"queue"}""", "needs at least one handler")]
    [InlineData("""{"kind":"scheduled"}""", "needs a cron expression")]
    [InlineData("""{"kind":"scheduled","schedule":"0 3 * *"}""", "has 4 fields; use five")]
    [InlineData("""{"kind":"scheduled","schedule":"61 3 * * *"}""", "is not a valid cron expression")]
    [InlineData("""{"kind":"scheduled","schedule":"0 3 * * *","ingress":"internal"}""", "a scheduled function is a job and has no ingress")]
    [InlineData("""{"kind":"http","schedule":"0 3 * * *"}""", "only a scheduled function has a schedule")]
    [InlineData("""{"kind":"http","durableHandlers":["a","a"]}""", "'a' is listed twice")]
    [InlineData("""{"kind":"http","durableHandlers":[""]}""", "is not a handler name")]
    [InlineData("""{"kind":"http","storage":{"blobs":{}}}""", "storage.blobs: expected 'containers', 'queues' or 'tables'")]
    [InlineData("""{"kind":"http","storage":{"containers":{"Up_loads":"read"}}}""", "storage.containers.Up_loads: 'Up_loads' is not a valid container name")]
    [InlineData("""{"kind":"http","storage":{"tables":{"a-b":"read"}}}""", "'a-b' is not a valid table name")]
    [InlineData("""{"kind":"http","storage":{"queues":{"work":"write"}}}""", "storage.queues.work: 'write' is not one of read, readwrite")]
    [InlineData("""{"kind":"http",""", "not valid JSON")]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{"kind":"http","ingress":"none","analytics":"sink"}""", "analytics: the sink must have ingress")]
    [InlineData("""{"kind":"http","durableHandlers":"upload"}""", "durableHandlers: must be an array of handler names")]
    [InlineData("""{"kind":"http","storage":[]}""", "storage: must be an object with 'containers', 'queues' and 'tables'")]
    public void Parse_BadDeclaration_IsRefusedNamingTheFileAndKey(string json, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Single("thumbnail", json));

        Assert.Contains("functions/thumbnail/edgestack.json: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeclarationWithCommentsAndATrailingComma_IsRead()
    {
        var function = Single("thumbnail", """
            {
              // a queue function of its own
              "kind": "queue",
              "durableHandlers": ["resize"],
            }
            """);

        Assert.Equal(FunctionKind.Queue, function.Kind);
    }

    [Fact]
    public void FindRepositoryRoot_FolderOutsideARepository_FailsSayingWhatItLooksFor()
    {
        var folder = Directory.CreateTempSubdirectory("edgestack-no-repo-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "Pulumi.yaml"), "name: x");

            var exception = Assert.Throws<DirectoryNotFoundException>(() => FunctionManifest.FindRepositoryRoot(folder.FullName));

            Assert.Contains("Pulumi.yaml beside functions/", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Discover_RepositoryWithoutAFunctionsFolder_FindsNone()
    {
        var folder = Directory.CreateTempSubdirectory("edgestack-empty-");
        try
        {
            var functions = FunctionManifest.Discover(folder.FullName);

            Assert.Empty(functions);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_NameOfExactlyTheMaximumLength_IsAccepted()
    {
        var name = "a" + new string('b', FunctionManifest.MaxNameLength - 1);

        var function = Single(name, """{"kind":"http"}""");

        Assert.Equal(name, function.Name);
    }

    [Theory]
    [InlineData("containers", 3, true)]
    [InlineData("containers", 63, true)]
    [InlineData("containers", 2, false)]
    [InlineData("containers", 64, false)]
    [InlineData("queues", 3, true)]
    [InlineData("queues", 63, true)]
    [InlineData("queues", 2, false)]
    [InlineData("queues", 64, false)]
    [InlineData("tables", 3, true)]
    [InlineData("tables", 63, true)]
    [InlineData("tables", 2, false)]
    [InlineData("tables", 64, false)]
    public void Parse_StorageNameLength_Is3To63(string group, int length, bool valid)
    {
        var json = "{\"kind\":\"http\",\"storage\":{\"" + group + "\":{\"" + new string('a', length) + "\":\"read\"}}}";

        var exception = Record.Exception(() => Single("thumbnail", json));

        Assert.Equal(valid, exception is null);
    }

    [Fact]
    public void Parse_QueueNameWithAnUppercaseLetter_IsRefusedAsAQueueName()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Single("thumbnail", """{"kind":"http","storage":{"queues":{"Work":"read"}}}"""));

        Assert.Contains("'Work' is not a valid queue name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TableNameStartingWithADigit_IsRefused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Single("thumbnail", """{"kind":"http","storage":{"tables":{"1events":"read"}}}"""));

        Assert.Contains("'1events' is not a valid table name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FolderWithoutItsProject_IsRefused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Parse([("thumbnail", """{"kind":"http"}""")], _ => false));

        Assert.Contains("functions/thumbnail: no project thumbnail.csproj", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoSinks_AreRefusedNamingBoth()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Parse(
            [("a", """{"kind":"http","analytics":"sink"}"""), ("b", """{"kind":"http","analytics":"sink"}""")], _ => true));

        Assert.Contains("only one function may be the sink; a, b", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClientWithoutSink_IsRefused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Single("a", """{"kind":"http","analytics":"client"}"""));

        Assert.Contains("needs a function with \"analytics\": \"sink\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneHandlerInTwoFunctions_IsRefusedNamingBoth()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Parse(
            [("a", """{"kind":"http","durableHandlers":["resize"]}"""), ("b", """{"kind":"queue","durableHandlers":["resize"]}""")], _ => true));

        Assert.Contains("'resize' is declared by a and b", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllListed()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FunctionManifest.Parse(
            [("a", """{"kind":"htp"}"""), ("B", """{"kind":"http"}"""), ("c", """{"kind":"http","requireKey":1}""")], _ => true));

        Assert.Equal(3, exception.Message.Split(Environment.NewLine).Count(l => l.StartsWith("  - ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("image-resize", "ImageResize")]
    [InlineData("hello", "Hello")]
    [InlineData("a1-b2-c3", "A1B2C3")]
    public void PascalCase_FunctionName_IsItsNamespaceForm(string name, string expected)
    {
        Assert.Equal(expected, FunctionManifest.PascalCase(name));
    }

    private static FunctionDeclaration Single(string name, string json) => Assert.Single(FunctionManifest.Parse([(name, json)], _ => true));
}
