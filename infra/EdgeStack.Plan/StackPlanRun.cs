using EdgeStack.Infra;
using Pulumi.Testing;

namespace EdgeStack.Plan;

/// <summary>Runs the Pulumi program under the mock engine with a stack's committed config and renders its plan.</summary>
public static class StackPlanRun
{
    /// <summary>The folder of the committed plans, relative to the repository root.</summary>
    public const string PlansFolder = "infra/plans";

    /// <summary>The committed plan of a stack.</summary>
    /// <param name="repositoryRoot">The repository root.</param>
    /// <param name="stack">The stack.</param>
    /// <returns>The path of <c>infra/plans/&lt;stack&gt;.json</c>.</returns>
    public static string CommittedPlanPath(string repositoryRoot, string stack) => Path.Combine(repositoryRoot, PlansFolder, stack + ".json");

    /// <summary>Runs the program and renders the plan as JSON.</summary>
    /// <param name="repositoryRoot">The repository root (<c>Pulumi.yaml</c>, <c>functions/</c>).</param>
    /// <param name="stack">The stack whose <c>Pulumi.&lt;stack&gt;.yaml</c> to use.</param>
    /// <returns>The entries and the JSON text.</returns>
    /// <remarks>Sets the process-wide <c>PULUMI_CONFIG</c>, as the Pulumi CLI would: one run at a time per process.</remarks>
    public static async Task<(IReadOnlyList<PlanEntry> Entries, string Json)> RunAsync(string repositoryRoot, string stack)
    {
        var config = StackConfigFile.Load(repositoryRoot, stack);
        config.Apply();
        var mocks = new PlanMocks();
        var options = new TestOptions { IsPreview = false, ProjectName = config.Project, StackName = config.Stack };
        var (_, outputs) = await Pulumi.Deployment.TestAsync(mocks, options, () => EdgeStackProgram.RunAsync(repositoryRoot, new PlanRegistryTokens()));
        var entries = PlanRenderer.Render(mocks.Resources);
        return (entries, PlanRenderer.ToJson(config.Project, config.Stack, entries, outputs.Keys));
    }
}
