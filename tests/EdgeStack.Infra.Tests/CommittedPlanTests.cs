using EdgeStack.Blueprint;
using EdgeStack.Plan;

namespace EdgeStack.Infra.Tests;

public class CommittedPlanTests
{
    private static readonly string Root = FunctionManifest.FindRepositoryRoot(AppContext.BaseDirectory);

    public static TheoryData<string> Stacks() => [.. StackConfigFile.Stacks(Root)];

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task CommittedPlan_EveryStack_IsWhatTheProgramPlansFromItsConfig(string stack)
    {
        var path = StackPlanRun.CommittedPlanPath(Root, stack);

        var (_, planned) = await StackPlanRun.RunAsync(Root, stack);

        var committed = File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty;
        Assert.True(
            committed == planned,
            $"{Path.GetRelativePath(Root, path)} is out of date: the program or Pulumi.{stack}.yaml changed the plan. "
            + $"Review the change below, then run `./edgestack plan --stack {stack} --write` and commit the file.\n{LineDiff.Unified(committed, planned)}");
    }

    [Fact]
    public async Task Plan_Dev_HasAContainerAppAndAGeneratedKeyPerKeyedFunction()
    {
        var (entries, _) = await StackPlanRun.RunAsync(Root, "dev");

        var apps = entries.Where(e => e.Type == Types.ContainerApp).Select(e => e.Name);
        var keys = entries.Where(e => e.Type == Types.RandomPassword).Select(e => e.Name);

        Assert.Equal(StackRun.Functions.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => LogicalNames.App(f.Name)).Order(StringComparer.Ordinal), apps);
        Assert.Equal(
            StackRun.Functions.Where(f => f.Kind != FunctionKind.Scheduled).Select(f => LogicalNames.FunctionKey(f.Name))
                .Concat(StackRun.Functions.Where(f => f.Analytics == AnalyticsRole.Sink).Select(f => LogicalNames.FunctionReadKey(f.Name)))
                .Order(StringComparer.Ordinal),
            keys);
    }

    [Fact]
    public async Task Plan_Dev_HoldsNoSecretValue()
    {
        var (_, json) = await StackPlanRun.RunAsync(Root, "dev");

        Assert.DoesNotContain(PlanMocks.GeneratedValue(LogicalNames.FunctionKey("hello")), json, StringComparison.Ordinal);
        Assert.DoesNotContain("(workspace key)", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_UnknownStack_FailsNamingTheStacksThatExist()
    {
        var exception = await Assert.ThrowsAsync<FileNotFoundException>(() => StackPlanRun.RunAsync(Root, "no-such-stack"));

        Assert.Contains("Pulumi.no-such-stack.yaml", exception.Message, StringComparison.Ordinal);
        Assert.Contains("the stacks here are: dev", exception.Message, StringComparison.Ordinal);
    }
}
