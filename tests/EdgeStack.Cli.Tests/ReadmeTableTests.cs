using System.Text.RegularExpressions;
using EdgeStack.Testing;

namespace EdgeStack.Cli.Tests;

public sealed partial class ReadmeTableTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ReadmeTable.File));

    [Fact]
    public void Readme_FunctionsTable_IsWhatTheDeclarationsSay()
    {
        var expected = ReadmeTable.Replace(s_readme, ReadmeTable.Render(TestPaths.RepositoryRoot));

        Assert.True(expected == s_readme, $"README.md's functions table is not what functions/*/edgestack.json say; run ./edgestack readme.");
    }

    [Fact]
    public void Render_EveryDeclaredFunction_HasItsRow()
    {
        var table = ReadmeTable.Render(TestPaths.RepositoryRoot);

        var rows = table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split('`')[1]);
        Assert.Equal(EdgeStack.Blueprint.FunctionManifest.Discover(TestPaths.RepositoryRoot).Select(f => f.Name), rows);
    }

    [Fact]
    public void Replace_ReadmeWithoutMarkers_IsLeftAlone()
    {
        var result = ReadmeTable.Replace("# A README of its own\n", "| table |\n");

        Assert.Null(result);
    }

    [Fact]
    public void Readme_LayoutPaths_AllExist()
    {
        var layout = s_readme[s_readme.IndexOf("## Layout", StringComparison.Ordinal)..];
        layout = layout[(layout.IndexOf("```", StringComparison.Ordinal) + 3)..];
        layout = layout[..layout.IndexOf("```", StringComparison.Ordinal)];

        var missing = LayoutPath().Matches(layout).Select(m => m.Groups[1].Value)
            .Where(p => !p.Contains('<', StringComparison.Ordinal) && !Path.Exists(Path.Combine(TestPaths.RepositoryRoot, p)));

        Assert.Empty(missing);
    }

    [GeneratedRegex(@"^(\S+)\s", RegexOptions.Multiline)]
    private static partial Regex LayoutPath();
}
