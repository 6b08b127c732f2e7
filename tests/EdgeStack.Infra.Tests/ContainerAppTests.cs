using EdgeStack.Blueprint;
using EdgeStack.Contracts;

namespace EdgeStack.Infra.Tests;

/// <summary>Each Container App's ingress, probes, secrets, size and replicas are the plan's, field by field.</summary>
public class ContainerAppTests
{
    /// <summary>Hello public, upload kept internal, worker bigger and always on: every override a field can get.</summary>
    private const string Overrides = """
        {
          "hello": { "externalIngress": true },
          "upload": { "externalIngress": false },
          "worker": { "cpu": 1.0, "memory": "2Gi", "minReplicas": 2, "maxReplicas": 7 }
        }
        """;

    private static readonly Lazy<Task<StackRun>> OverriddenRun = new(() => StackRun.RunAsync(Overrides));

    private static readonly StackPlan OverriddenPlan = StackRun.Plan(Overrides);

    [Fact]
    public async Task RunAsync_EveryApp_HasThePlannedIngressExposureAndTargetPort()
    {
        var run = await OverriddenRun.Value;

        var actual = OverriddenPlan.Apps.Select(app => (app.FunctionName, Ingress(run.App(app.FunctionName)))).ToList();

        Assert.Equal(OverriddenPlan.Apps.Select(app => (app.FunctionName, Planned(app))), actual);
        Assert.Equal(
            [(true, (double)Routes.ContainerPort), (false, (double)Routes.ContainerPort)],
            actual.Where(a => a.FunctionName is "hello" or "upload").Select(a => (a.Item2!.Value.External, a.Item2!.Value.TargetPort)));

        static (bool External, double TargetPort)? Planned(AppPlan app) =>
            app.Ingress == IngressMode.None ? null : (app.Ingress == IngressMode.External, app.TargetPort);
    }

    [Fact]
    public async Task RunAsync_EveryProbe_HasThePlannedPortPeriodThresholdAndTimeout()
    {
        var run = await StackRun.Default;

        Assert.All(StackRun.Plan(functionsJson: null).Apps, app => Assert.Equal(
            app.Probes.Select(p => (p.Kind.ToString(), p.Path, (double)p.Port, (double)p.PeriodSeconds, (double)p.FailureThreshold, (double)p.TimeoutSeconds)),
            Wire.List(StackRun.Container(run.App(app.FunctionName))["probes"]).Select(p => (
                (string)Wire.At(p, "type")!,
                (string)Wire.At(p, "httpGet", "path")!,
                (double)Wire.At(p, "httpGet", "port")!,
                (double)Wire.At(p, "periodSeconds")!,
                (double)Wire.At(p, "failureThreshold")!,
                (double)Wire.At(p, "timeoutSeconds")!))));
    }

    [Fact]
    public async Task RunAsync_EveryProbe_HitsThePortTheIngressForwardsTo()
    {
        var run = await StackRun.Default;

        var apps = run.OfType(Types.ContainerApp).Where(app => Wire.At(app.Inputs, "configuration", "ingress") is not null).ToList();

        Assert.NotEmpty(apps);
        Assert.All(apps, app => Assert.All(
            Wire.List(StackRun.Container(app.Inputs)["probes"]),
            probe => Assert.Equal((double)Wire.At(app.Inputs, "configuration", "ingress", "targetPort")!, (double)Wire.At(probe, "httpGet", "port")!)));
    }

    [Fact]
    public async Task RunAsync_EveryKeyVariable_IsASecretRefToASecretOfTheSameApp()
    {
        var run = await StackRun.Default;

        Assert.All(StackRun.Plan(functionsJson: null).Apps, app =>
        {
            var inputs = run.App(app.FunctionName);
            var planned = app.Env.Where(e => e.Source == EnvValueSource.SecretRef).Select(e => (e.Name, "secretRef:" + e.Value)).ToList();
            var secretNames = Wire.List(Wire.At(inputs, "configuration", "secrets")).Select(s => (string)Wire.At(s, "name")!).ToList();

            Assert.NotEmpty(planned);
            Assert.Equal(planned, StackRun.Env(inputs).Where(e => e.Value.StartsWith("secretRef:", StringComparison.Ordinal)).Select(e => (e.Key, e.Value)));
            Assert.All(planned, p => Assert.Contains(p.Item2["secretRef:".Length..], secretNames));
        });
    }

    [Fact]
    public async Task RunAsync_KeysGeneratedOrSet_NeverAppearAsALiteralInAnyEnv()
    {
        var configured = new string('k', 40);
        var run = await StackRun.RunAsync(functionsJson: null, new Dictionary<string, string> { ["helloKey"] = configured });

        var keys = run.OfType(Types.RandomPassword).Select(k => StackRun.GeneratedKey(k.Name!)).Append(configured).ToList();
        var literals = run.OfType(Types.ContainerApp).Concat(run.OfType(Types.Job))
            .SelectMany(resource => Wire.List(StackRun.Container(resource.Inputs)["env"]).Select(Wire.Object))
            .Where(e => e.ContainsKey("value"))
            .Select(e => (string)e["value"])
            .ToList();

        Assert.NotEmpty(literals);
        Assert.DoesNotContain(literals, value => keys.Any(key => value.Contains(key, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_CpuMemoryAndReplicasSetInConfig_ReachTheAppAndNoOtherApp()
    {
        var run = await OverriddenRun.Value;

        var sizes = OverriddenPlan.Apps.ToDictionary(app => app.FunctionName, app => Size(run.App(app.FunctionName)), StringComparer.Ordinal);

        Assert.Equal((1.0, "2Gi", 2.0, 7.0), sizes["worker"]);
        Assert.All(sizes.Where(s => s.Key != "worker"), s => Assert.Equal(
            (FunctionSettings.DefaultCpu, FunctionSettings.DefaultMemory, (double)FunctionSettings.DefaultMinReplicas, (double)FunctionSettings.DefaultMaxReplicas),
            s.Value));
    }

    private static (bool External, double TargetPort)? Ingress(IReadOnlyDictionary<string, object> app) =>
        Wire.At(app, "configuration", "ingress") is { } ingress
            ? ((bool)Wire.At(ingress, "external")!, (double)Wire.At(ingress, "targetPort")!)
            : null;

    private static (double Cpu, string Memory, double MinReplicas, double MaxReplicas) Size(IReadOnlyDictionary<string, object> app) => (
        (double)Wire.At(StackRun.Container(app), "resources", "cpu")!,
        (string)Wire.At(StackRun.Container(app), "resources", "memory")!,
        (double)Wire.At(app, "template", "scale", "minReplicas")!,
        (double)Wire.At(app, "template", "scale", "maxReplicas")!);
}
